package dev.prefalign.trainer.report;

import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.Generation;
import dev.prefalign.trainer.evaluation.Judges;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.evaluation.RankBy;
import dev.prefalign.trainer.evaluation.WinRate;
import dev.prefalign.trainer.experiment.Revisions;
import dev.prefalign.trainer.experiment.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes {@code report.md} and its PNG charts into a folder: a ranking, the final training metrics, charts over steps,
 * held-out evaluation and win rates, sample replies, and per run everything needed to reproduce it.
 */
public final class ReportWriter {
    public static final String REPORT_FILE = "report.md";
    /** The training metrics whose last logged values the report tabulates, as metrics.jsonl names them. */
    public static final List<String> FINAL_METRICS = List.of("loss", "rewards/accuracies", "rewards/margins",
            "eval_loss", "eval_rewards/accuracies", "eval_rewards/margins");
    private static final int SAMPLE_PROMPTS = 3;

    private ReportWriter() {
    }

    /** Writes the report and its charts into {@code dir}; returns the report file. */
    public static Path write(ExperimentResults results, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<ReportCharts.Chart> charts = ReportCharts.of(results);
        for (ReportCharts.Chart chart : charts) {
            chart.writePng(dir);
        }
        Path file = dir.resolve(REPORT_FILE);
        Files.writeString(file, markdown(results, charts), StandardCharsets.UTF_8);
        return file;
    }

    static String markdown(ExperimentResults results, List<ReportCharts.Chart> charts) {
        StringBuilder md = new StringBuilder();
        header(results, md);
        ranking(results, md);
        finalMetrics(results, md);
        chartSection(charts, md);
        winRates(results, md);
        samples(results, md);
        runs(results, md);
        if (results.experimentText() != null) {
            md.append("## Experiment file\n\n```yaml\n").append(results.experimentText().strip()).append("\n```\n");
        }
        return md.toString();
    }

    private static void header(ExperimentResults r, StringBuilder md) {
        String states = r.runs().stream().collect(Collectors.groupingBy(o -> o.record().state(),
                TreeMap::new, Collectors.counting())).entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().toLowerCase()).collect(Collectors.joining(", "));
        md.append("# Experiment ").append(r.name()).append("\n\n");
        md.append("- Generated: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        md.append("- Experiment: `").append(r.origin()).append("`\n");
        md.append("- Code version: ").append(r.codeVersion()).append('\n');
        md.append("- Runs: ").append(r.runs().size()).append(" (").append(states).append(")\n");
        EvaluationSettings e = r.evaluation();
        ModelEvaluation start = r.startingModel();
        if (start != null && start.ok()) {
            md.append("- Scored on: ").append(start.data()).append(", ").append(start.pairs()).append(" pairs\n");
        }
        if (e.generates()) {
            md.append("- Greedy replies: up to ").append(e.prompts()).append(" evaluation prompts per model, at most ")
                    .append(e.maxNewTokens()).append(" new tokens each\n");
        }
        for (String rule : e.rules()) {
            md.append("- Rule ").append(rule).append(": ").append(Judges.rule(rule).map(x -> x.description())
                    .orElse("(not on the class path)")).append('\n');
        }
        if (e.judge() != null) {
            md.append("- Judge ").append(e.judge()).append(": ").append(Judges.judge(e)
                    .map(j -> j.description()).orElse("(not on the class path)")).append("; ties count half\n");
        }
        md.append("- Ranked by: ").append(e.ranking().label()).append(" (higher is better), ties broken by the "
                + "held-out logp margin\n");
        for (String note : r.notes()) {
            md.append("- Note: ").append(note).append('\n');
        }
        md.append('\n');
    }

    private static void ranking(ExperimentResults r, StringBuilder md) {
        EvaluationSettings e = r.evaluation();
        boolean winRates = e.judge() != null;
        List<String> header = new ArrayList<>(List.of("rank", "run", "method", "settings", "pref. accuracy",
                "logp margin"));
        e.rules().forEach(rule -> header.add(rule));
        if (winRates) {
            header.add("win rate vs start");
        }
        header.addAll(List.of("final loss", "eval loss", "time (s)", "peak RSS (MiB)", "state"));
        md.append("## Ranking\n\n");
        row(md, header);
        row(md, header.stream().map(h -> "---").toList());
        ModelEvaluation start = r.startingModel();
        if (start != null && start.ok()) {
            List<String> cells = new ArrayList<>(List.of("start", ExperimentResults.STARTING_MODEL, "", "",
                    Fmt.num(start.preferenceAccuracy()), Fmt.num(start.logpMargin())));
            e.rules().forEach(rule -> cells.add(Fmt.num(start.rulePassRates().getOrDefault(rule, Double.NaN))));
            if (winRates) {
                cells.add("");
            }
            cells.addAll(List.of("", "", "", "", ""));
            row(md, cells);
        }
        RankBy by = e.ranking();
        int rank = 0;
        for (RunOutcome run : Ranking.rank(r)) {
            boolean scored = Double.isFinite(Ranking.score(r, by, run));
            ModelEvaluation ev = run.evaluated() ? run.evaluation() : null;
            RunRecord rec = run.record();
            List<String> cells = new ArrayList<>(List.of(scored ? Integer.toString(++rank) : "-", run.name(),
                    rec.method(), settings(rec), Fmt.num(ev == null ? Double.NaN : ev.preferenceAccuracy()),
                    Fmt.num(ev == null ? Double.NaN : ev.logpMargin())));
            e.rules().forEach(rule -> cells.add(Fmt.num(ev == null ? Double.NaN
                    : ev.rulePassRates().getOrDefault(rule, Double.NaN))));
            if (winRates) {
                cells.add(Fmt.num(r.winRate(run.name(), ExperimentResults.STARTING_MODEL).map(WinRate::rate)
                        .orElse(Double.NaN)));
            }
            cells.add(Fmt.num(last(run, "loss")));
            cells.add(Fmt.num(last(run, "eval_loss")));
            cells.add(Fmt.seconds(rec.seconds()));
            cells.add(Fmt.mib(rec.peakRssBytes()));
            cells.add(rec.state());
            row(md, cells);
        }
        md.append("\npref. accuracy: share of the scored pairs where the model gives the chosen reply the higher "
                + "log-probability (summed over its tokens; ties are not wins). logp margin: mean log p(chosen) - "
                + "log p(rejected). Both are computed the same way for every method, unlike the methods' own "
                + "rewards.");
        if (!e.rules().isEmpty()) {
            md.append(" Rule columns: share of greedy replies that pass the rule.");
        }
        if (winRates) {
            md.append(" win rate vs start: the judge's preference for the run's greedy replies over the starting "
                    + "model's, ties counting half.");
        }
        md.append(" final loss and eval loss: the last values in metrics.jsonl.\n\n");
    }

    private static void finalMetrics(ExperimentResults r, StringBuilder md) {
        md.append("## Final training metrics\n\n");
        List<String> header = new ArrayList<>(List.of("run", "method", "last step"));
        header.addAll(FINAL_METRICS);
        row(md, header);
        row(md, header.stream().map(h -> "---").toList());
        for (RunOutcome run : r.runs()) {
            List<String> cells = new ArrayList<>(List.of(run.name(), run.record().method(),
                    Long.toString(run.metrics().lastStep())));
            FINAL_METRICS.forEach(m -> cells.add(Fmt.num(last(run, m))));
            row(md, cells);
        }
        md.append("\nThe last logged value of each metric in the run's metrics.jsonl (TRL's names). Losses and "
                + "rewards are each method's own: DPO's rewards are beta times the log-ratio to the reference model, "
                + "ORPO's are lambda times the mean token log-probability, so compare methods on the ranking's "
                + "columns.\n\n");
    }

    private static void chartSection(List<ReportCharts.Chart> charts, StringBuilder md) {
        if (charts.isEmpty()) {
            return;
        }
        md.append("## Charts\n\n");
        for (ReportCharts.Chart c : charts) {
            md.append("### ").append(c.title()).append("\n\n![").append(c.title()).append("](").append(c.file())
                    .append(")\n\n").append(c.caption()).append("\n\n");
        }
    }

    private static void winRates(ExperimentResults r, StringBuilder md) {
        List<RunOutcome> compared = r.runs().stream()
                .filter(run -> r.winRates().stream().anyMatch(w -> w.model().equals(run.name()))).toList();
        if (compared.isEmpty()) {
            return;
        }
        md.append("## Win rates\n\nThe row's greedy replies against the column's, judged by ")
                .append(r.evaluation().judge()).append(" (wins + ties/2, over the same prompts).\n\n");
        List<String> header = new ArrayList<>(List.of("run"));
        header.add(ExperimentResults.STARTING_MODEL);
        compared.forEach(c -> header.add(c.name()));
        row(md, header);
        row(md, header.stream().map(h -> "---").toList());
        for (RunOutcome a : compared) {
            List<String> cells = new ArrayList<>(List.of(a.name()));
            cells.add(r.winRate(a.name(), ExperimentResults.STARTING_MODEL).map(ReportWriter::winCell).orElse(""));
            for (RunOutcome b : compared) {
                cells.add(a == b ? "" : r.winRate(a.name(), b.name()).map(ReportWriter::winCell).orElse(""));
            }
            row(md, cells);
        }
        md.append('\n');
    }

    private static String winCell(WinRate w) {
        return Fmt.num(w.rate()) + " (" + w.wins() + "/" + w.ties() + "/" + w.losses() + ")";
    }

    private static void samples(ExperimentResults r, StringBuilder md) {
        List<String> names = new ArrayList<>();
        List<List<Generation>> replies = new ArrayList<>();
        if (r.startingModel() != null && !r.startingModel().generations().isEmpty()) {
            names.add(ExperimentResults.STARTING_MODEL);
            replies.add(r.startingModel().generations());
        }
        for (RunOutcome run : r.runs()) {
            if (run.evaluated() && !run.evaluation().generations().isEmpty()) {
                names.add(run.name());
                replies.add(run.evaluation().generations());
            }
        }
        if (replies.isEmpty()) {
            return;
        }
        md.append("## Sample replies\n\n");
        int prompts = Math.min(SAMPLE_PROMPTS, replies.get(0).size());
        for (int p = 0; p < prompts; p++) {
            Generation first = replies.get(0).get(p);
            md.append("Prompt ").append(p + 1).append(": ").append(Fmt.cell(first.prompt())).append("\n\n");
            row(md, List.of("model", "greedy reply"));
            row(md, List.of("---", "---"));
            for (int m = 0; m < names.size(); m++) {
                if (p < replies.get(m).size()) {
                    row(md, List.of(names.get(m), Fmt.cell(replies.get(m).get(p).reply())));
                }
            }
            md.append('\n');
        }
    }

    private static void runs(ExperimentResults r, StringBuilder md) {
        md.append("## Runs\n\nEach run's exact spec, its sources' revisions and the code version: enough to run it "
                + "again (`run -f <work-dir>/<run>/job.yaml --work-dir <work-dir>/<run>`).\n\n");
        for (RunOutcome run : r.runs()) {
            RunRecord rec = run.record();
            md.append("### ").append(rec.name()).append("\n\n");
            md.append("- State: ").append(rec.state()).append(rec.error() != null ? ": " + rec.error() : "")
                    .append('\n');
            md.append("- Method: ").append(rec.method()).append("; settings: ").append(settings(rec).isEmpty()
                    ? "the base spec" : settings(rec)).append('\n');
            if (rec.state().equals(RunRecord.PENDING)) {
                md.append('\n');
                continue;
            }
            md.append("- Seed: ").append(rec.seed()).append("; steps: ").append(rec.steps()).append('\n');
            Revisions rev = rec.revisions();
            if (rev != null) {
                revision(md, "Model", rev.model());
                revision(md, "Reference model", rev.referenceModel());
                revision(md, "Dataset", rev.dataset());
            }
            md.append("- Code version: ").append(rec.codeVersion()).append('\n');
            md.append("- Started: ").append(rec.startedAt()).append("; finished: ").append(rec.finishedAt())
                    .append('\n');
            md.append("- Time: ").append(Fmt.seconds(rec.seconds())).append(" s (training loop ")
                    .append(Fmt.seconds(rec.trainSeconds())).append(" s); peak RSS: ").append(Fmt.mib(
                            rec.peakRssBytes())).append(" MiB\n");
            if (!run.resolvedYaml().isBlank()) {
                md.append("\nResolved spec:\n\n```yaml\n").append(run.resolvedYaml().strip()).append("\n```\n");
            }
            md.append('\n');
        }
    }

    private static void revision(StringBuilder md, String what, Revisions.SourceRevision rev) {
        if (rev != null) {
            md.append("- ").append(what).append(": `").append(rev.source()).append("` at ").append(rev.revision())
                    .append('\n');
        }
    }

    private static String settings(RunRecord rec) {
        return Fmt.cell(rec.settings() == null ? "" : rec.settings().entrySet().stream()
                .map(s -> s.getKey() + "=" + s.getValue()).collect(Collectors.joining(", ")));
    }

    private static double last(RunOutcome run, String metric) {
        OptionalDouble v = run.metrics().last(metric);
        return v.isPresent() ? v.getAsDouble() : Double.NaN;
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
