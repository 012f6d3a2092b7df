package dev.prefalign.trainer.demo;

import ai.djl.ndarray.NDManager;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.evaluation.EvalPrompt;
import dev.prefalign.trainer.evaluation.Generation;
import dev.prefalign.trainer.generate.Generator;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import dev.prefalign.trainer.train.Evaluator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Method-independent measures of a model on the held-out prompts: how often the policy gives the polite reply a higher
 * log-probability than the rude one, the mean log-probability margin, and how often its greedy reply is polite.
 *
 * @param samples the first replies, for the printed table
 * @param pairs   the held-out pairs scored
 * @param replies every greedy reply, in request order (for the report's win rates)
 */
public record DemoMeasurement(double preferenceAccuracy, double logpMargin, double politeRate, List<String> samples,
        int pairs, List<Generation> replies) {

    static final int MAX_NEW_TOKENS = 20;

    static DemoMeasurement of(PreferenceAlignmentJob job, SourceLocations sources, Path workDir, Path model)
            throws IOException, JobException {
        Evaluator.Evaluation eval = JobRunner.evaluate(job, sources, workDir, model);
        int wins = 0;
        double margin = 0;
        for (Evaluator.ExampleScore e : eval.examples()) {
            double d = e.columns().get("policy_chosen_logps") - e.columns().get("policy_rejected_logps");
            wins += d > 0 ? 1 : 0;
            margin += d;
        }
        int n = eval.examples().size();
        return greedy(model, wins / (double) n, margin / n, n);
    }

    private static DemoMeasurement greedy(Path modelDir, double accuracy, double margin, int pairs)
            throws IOException {
        List<PolitenessTask.Request> requests = PolitenessTask.requests(PolitenessTask.HELD_OUT_TASKS);
        List<String> samples = new ArrayList<>();
        List<Generation> replies = new ArrayList<>();
        int polite = 0;
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                TextTokenizer tokenizer = TextTokenizer.load(modelDir);
                CausalLm model = ModelStore.load(modelDir, manager)) {
            Generator generator = new Generator(model);
            for (PolitenessTask.Request r : requests) {
                String prompt = tokenizer.chatTemplate().orElseThrow()
                        .render(List.of(new Message("user", r.text())), true);
                int[] ids = generator.generate(tokenizer.encode(prompt, false), tokenizer.eosId(),
                        Generator.Settings.greedy(MAX_NEW_TOKENS));
                String reply = tokenizer.decode(ids, true);
                polite += PolitenessTask.isPolite(reply) ? 1 : 0;
                replies.add(Generation.of(EvalPrompt.of(r.text()), reply));
                if (samples.size() < 2) {
                    samples.add(r.text() + " -> " + reply);
                }
            }
        }
        return new DemoMeasurement(accuracy, margin, polite / (double) requests.size(), samples, pairs, replies);
    }
}
