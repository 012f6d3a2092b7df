package dev.prefalign.trainer.evaluation;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.trainer.generate.Generator;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.job.JobSession;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.train.Evaluator;
import dev.prefalign.trainer.train.Objective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores one model the same way whatever method trained it. The scoring job is an ORPO job (no reference model to
 * load) over the experiment's data: only the per-example policy log-probabilities are read, and those do not depend
 * on the method, its settings or the batching.
 */
public final class ModelEvaluator {
    private ModelEvaluator() {
    }

    /**
     * @param scoringJob an ORPO job naming the starting model, the data and the truncation lengths
     * @param model      the model folder to score; null scores the scoring job's own model (the starting model)
     * @param key        stored with the result (see {@link ModelEvaluation#key})
     */
    public static ModelEvaluation evaluate(PreferenceAlignmentJob scoringJob, SourceLocations sources, Path workDir,
            Path model, EvaluationSettings settings, List<ReplyRule> rules, String key)
            throws JobException, IOException {
        if (scoringJob.getSpec().getMethod() != Method.ORPO) {
            throw new IllegalArgumentException("the scoring job must be an ORPO job");
        }
        try (JobSession session = new JobSession(scoringJob, sources, workDir, model, true)) {
            boolean heldOut = session.evalObjective() != null;
            Objective objective = heldOut ? session.evalObjective() : session.trainObjective();
            Evaluator.Evaluation eval = Evaluator.evaluate(objective,
                    scoringJob.getSpec().getTraining().getBatchSize());
            int wins = 0;
            double margin = 0;
            for (Evaluator.ExampleScore e : eval.examples()) {
                double d = e.columns().get("policy_chosen_logps") - e.columns().get("policy_rejected_logps");
                wins += d > 0 ? 1 : 0;
                margin += d;
            }
            int n = eval.examples().size();
            List<TokenizedPair> pairs = heldOut ? session.data().evalPairs() : session.data().trainPairs();
            List<Generation> generations = settings.generates()
                    ? generate(session, pairs.subList(0, Math.min(settings.prompts(), pairs.size())),
                            settings.maxNewTokens())
                    : List.of();
            Map<String, Double> passRates = new LinkedHashMap<>();
            for (ReplyRule rule : rules) {
                passRates.put(rule.name(), passRate(rule, generations));
            }
            Path scored = model != null ? model : session.modelDir();
            return new ModelEvaluation(scored.toAbsolutePath().toString(),
                    describeData(scoringJob.getSpec().getDataset(), heldOut, scoringJob), n, wins / (double) n,
                    margin / n, passRates, generations, key, null);
        }
    }

    /** The share of replies passing; NaN when there are none. */
    public static double passRate(ReplyRule rule, List<Generation> generations) {
        if (generations.isEmpty()) {
            return Double.NaN;
        }
        int passed = 0;
        for (Generation g : generations) {
            passed += rule.passes(g.context(), g.reply()) ? 1 : 0;
        }
        return passed / (double) generations.size();
    }

    private static List<Generation> generate(JobSession session, List<TokenizedPair> pairs, int maxNewTokens) {
        TextTokenizer tokenizer = session.tokenizer();
        Generator generator = new Generator(session.policy());
        List<Generation> out = new ArrayList<>();
        for (TokenizedPair pair : pairs) {
            int[] reply = generator.generate(pair.prompt(), tokenizer.eosId(), Generator.Settings.greedy(maxNewTokens));
            EvalPrompt prompt = new EvalPrompt(tokenizer.decode(pair.prompt(), true).strip(),
                    tokenizer.decode(pair.chosen(), true).strip(), tokenizer.decode(pair.rejected(), true).strip());
            out.add(Generation.of(prompt, tokenizer.decode(reply, true).strip()));
        }
        return out;
    }

    private static String describeData(DatasetSpec dataset, boolean heldOut, PreferenceAlignmentJob job) {
        if (dataset.getEvalSplit() != null && !dataset.getEvalSplit().isBlank()) {
            return "eval split " + dataset.getEvalSplit() + " of " + dataset.getSource();
        }
        if (heldOut) {
            return String.format(Locale.ROOT, "the held-out %.0f%% of split %s of %s (seed %d)",
                    100 * dataset.getEvalFraction(), dataset.getSplit(), dataset.getSource(),
                    job.getSpec().getTraining().getSeed());
        }
        return "split " + dataset.getSplit() + " of " + dataset.getSource()
                + " (no eval set: these are training pairs, not held out)";
    }
}
