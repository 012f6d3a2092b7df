package dev.prefalign.trainer.report;

import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.Judge;
import dev.prefalign.trainer.evaluation.Judges;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.evaluation.WinRate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a report is made of: the runs with their metric logs, records and evaluations, the starting model's evaluation,
 * and win rates under the experiment's judge. {@code compare} builds it from the work dir ({@link ResultsLoader});
 * the demo builds it from its own runs.
 *
 * @param origin         the experiment file, or what stands for it
 * @param experimentText the experiment file's text; null when there is none (the demo)
 * @param startingModel  the evaluation of the model every run started from; null when there is none
 * @param winRates       each evaluated run over the starting model (against {@link #STARTING_MODEL}) and over every
 *                       other run
 * @param notes          what the reader should know (a judge that could not compare, a run without evaluation, ...)
 */
public record ExperimentResults(String name, String origin, String codeVersion, String experimentText,
        EvaluationSettings evaluation, ModelEvaluation startingModel, List<RunOutcome> runs, List<WinRate> winRates,
        List<String> notes) {
    public static final String STARTING_MODEL = "starting model";

    public ExperimentResults {
        runs = List.copyOf(runs);
        winRates = List.copyOf(winRates);
        notes = List.copyOf(notes);
    }

    /** Computes the win rates with the judge the settings name (none without a judge). */
    public static ExperimentResults assemble(String name, String origin, String codeVersion, String experimentText,
            EvaluationSettings evaluation, ModelEvaluation startingModel, List<RunOutcome> runs, List<String> notes) {
        List<String> allNotes = new ArrayList<>(notes);
        List<WinRate> rates = new ArrayList<>();
        if (evaluation.judge() != null) {
            Optional<Judge> judge = Judges.judge(evaluation);
            if (judge.isEmpty()) {
                allNotes.add("judge " + evaluation.judge() + " is not on the class path, so there are no win rates");
            } else {
                try (Judge j = judge.get()) { // a reward-model judge holds its model's weights
                    rates.addAll(winRates(j, startingModel, runs, allNotes));
                }
            }
        }
        return new ExperimentResults(name, origin, codeVersion, experimentText, evaluation, startingModel, runs, rates,
                allNotes);
    }

    private static List<WinRate> winRates(Judge judge, ModelEvaluation start, List<RunOutcome> runs,
            List<String> notes) {
        List<WinRate> out = new ArrayList<>();
        List<RunOutcome> evaluated = runs.stream()
                .filter(r -> r.evaluated() && !r.evaluation().generations().isEmpty()).toList();
        for (RunOutcome a : evaluated) {
            if (start != null && start.ok() && !start.generations().isEmpty()) {
                compare(judge, a.name(), a.evaluation(), STARTING_MODEL, start, out, notes);
            }
            for (RunOutcome b : evaluated) {
                if (a != b) {
                    compare(judge, a.name(), a.evaluation(), b.name(), b.evaluation(), out, notes);
                }
            }
        }
        return out;
    }

    private static void compare(Judge judge, String a, ModelEvaluation ea, String b, ModelEvaluation eb,
            List<WinRate> out, List<String> notes) {
        try {
            out.add(WinRate.of(judge, a, ea.generations(), b, eb.generations()));
        } catch (RuntimeException e) {
            // replies to different prompts, or a judge that failed (a reward model that cannot be read)
            String note = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
    }

    /** The win rate of {@code model}'s replies over {@code against}'s. */
    public Optional<WinRate> winRate(String model, String against) {
        return winRates.stream().filter(w -> w.model().equals(model) && w.against().equals(against)).findFirst();
    }
}
