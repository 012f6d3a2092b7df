package dev.prefalign.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.testkit.CliRun;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.train.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} of a DPO job before any training: the reference is a frozen copy of the policy, so every log-ratio
 * is 0, the loss is -log sigmoid(0) = log 2 and no pair is won (a tie is not a win, as in TRL). Scoring another model
 * against that reference gives real, batching-independent per-example values.
 */
class EvaluateUntrainedDpoTest {
    private static final int PAIRS = 12;
    private static final double BETA = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    @BeforeAll
    static void writeJob() {
        TinyJob.model(root.resolve("base"), 1);
        TinyJob.model(root.resolve("other"), 2);
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.pairs(PAIRS, 11));
        for (int batchSize : new int[] {1, 3, 4}) {
            TinyJob.manifest(root.resolve("job-b" + batchSize + ".yaml"), "eval-b" + batchSize, "DPO", "base",
                    "data/pairs.jsonl", "dpo:\n  beta: " + BETA, "batchSize: " + batchSize);
        }
    }

    private static Evaluator.Evaluation evaluate(int batchSize, Path modelOverride) throws Exception {
        PreferenceAlignmentJob job = JobManifests.read(root.resolve("job-b" + batchSize + ".yaml"));
        Path work = root.resolve("work");
        return JobRunner.evaluate(job, SourceLocations.of(root, work), work, modelOverride);
    }

    @Test
    void untrainedPolicyAgainstItsOwnCopyScoresLogTwoWithNoWins() throws Exception {
        Evaluator.Evaluation eval = evaluate(4, null);
        Map<String, Double> m = eval.metrics();
        assertThat(m.get("loss")).isCloseTo(Math.log(2), within(1e-6));
        assertThat(m.get("rewards/chosen")).isEqualTo(0.0);
        assertThat(m.get("rewards/rejected")).isEqualTo(0.0);
        assertThat(m.get("rewards/margins")).isEqualTo(0.0);
        assertThat(m.get("rewards/accuracies")).as("ties are not wins").isEqualTo(0.0);
        // the log-probabilities themselves are real (negative), only their differences vanish
        assertThat(m.get("logps/chosen")).isNegative();
        assertThat(m.get("logps/rejected")).isNegative();
        assertThat(eval.examples()).hasSize(PAIRS);
        for (Evaluator.ExampleScore e : eval.examples()) {
            assertThat(e.loss()).as("pair %d", e.index()).isCloseTo(Math.log(2), within(1e-6));
            assertThat(e.columns().get("policy_chosen_logps"))
                    .isEqualTo(e.columns().get("reference_chosen_logps"));
        }
    }

    @Test
    void anotherModelAgainstTheManifestsReferenceHasRealRewards() throws Exception {
        Evaluator.Evaluation eval = evaluate(4, root.resolve("other"));
        Map<String, Double> m = eval.metrics();
        assertThat(m.get("rewards/accuracies")).as("neither all ties nor all wins").isStrictlyBetween(0.0, 1.0);
        assertThat(m.get("rewards/margins")).isNotZero();
        assertThat(Math.abs(m.get("loss") - Math.log(2))).isGreaterThan(1e-4);
        for (Evaluator.ExampleScore e : eval.examples()) {
            Map<String, Double> c = e.columns();
            double h = (c.get("policy_chosen_logps") - c.get("reference_chosen_logps"))
                    - (c.get("policy_rejected_logps") - c.get("reference_rejected_logps"));
            double expected = Math.log1p(Math.exp(-BETA * h)); // -log sigmoid(beta h)
            assertThat(e.loss()).as("pair %d", e.index()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void cliWritesMetricsAndOneLinePerPairIndependentOfBatching() throws Exception {
        List<JsonNode> rows1 = cliEvaluate(1);
        List<JsonNode> rows3 = cliEvaluate(3);
        assertThat(rows1).hasSize(PAIRS);
        assertThat(rows3).hasSize(PAIRS);
        List<String> columns = List.of("policy_chosen_logps", "policy_rejected_logps", "reference_chosen_logps",
                "reference_rejected_logps", "loss");
        for (int i = 0; i < PAIRS; i++) {
            JsonNode a = rows1.get(i);
            JsonNode b = rows3.get(i);
            assertThat(a.get("index").asInt()).isEqualTo(i);
            assertThat(b.get("index").asInt()).isEqualTo(i);
            for (String col : columns) {
                assertThat(a.has(col)).as("row %d has %s", i, col).isTrue();
                double x = a.get(col).asDouble();
                assertThat(x).as("row %d %s finite", i, col).isFinite();
                // Different padding widths change only float rounding in the matmuls, never which tokens count.
                assertThat(b.get(col).asDouble()).as("row %d %s with batch 3 vs 1", i, col)
                        .isCloseTo(x, within(2e-5 + 1e-6 * Math.abs(x)));
            }
            assertThat(a.get("policy_chosen_logps").asDouble())
                    .isNotEqualTo(a.get("reference_chosen_logps").asDouble());
        }
    }

    private List<JsonNode> cliEvaluate(int batchSize) throws Exception {
        Path perExample = root.resolve("rows-b" + batchSize + ".jsonl");
        Path output = root.resolve("metrics-b" + batchSize + ".json");
        CliRun run = CliRun.of("evaluate", "-f", root.resolve("job-b" + batchSize + ".yaml").toString(),
                "--model", root.resolve("other").toString(), "--work-dir", root.resolve("work").toString(),
                "--per-example", perExample.toString(), "--output", output.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(output.toFile());
        assertThat(JSON.readTree(run.out())).as("stdout is the metrics object").isEqualTo(metrics);
        for (String key : List.of("loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies",
                "rewards/margins", "logps/chosen", "logps/rejected")) {
            assertThat(metrics.has(key)).as("metrics has %s", key).isTrue();
        }
        return TinyJob.jsonLines(perExample);
    }
}
