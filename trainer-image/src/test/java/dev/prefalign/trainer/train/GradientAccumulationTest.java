package dev.prefalign.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradient accumulation and clipping, end to end through {@code run}.
 *
 * <p>The loss of a micro-batch is a mean (over its pairs for DPO; over its chosen tokens for ORPO's NLL term), and
 * accumulation averages the micro-batch losses, as transformers does. A mean of means equals the mean over the whole
 * batch only when every micro-batch has the same weight, i.e. the same number of pairs and of tokens; so the pairs here
 * all have the same token counts, and 4 x 2 must then reproduce 8 x 1 up to float rounding.
 */
class GradientAccumulationTest {
    private static final double LR = 1e-2;

    @TempDir
    static Path root;

    @BeforeAll
    static void writeModelAndData() {
        TinyJob.model(root.resolve("base"), 4);
        // 3 prompt words, 3 completion words + EOS each: every micro-batch holds the same number of tokens
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.equalLengthPairs(8, 9, 3, 3));
    }

    private static Path run(String name, String method, String training) throws Exception {
        String section = method.equals("DPO") ? "dpo:\n  beta: 0.5" : "orpo:\n  lambda: 0.5";
        Path manifest = TinyJob.manifest(root.resolve(name + ".yaml"), name, method, "base", "data/pairs.jsonl",
                section, """
                        learningRate: %s
                        lrScheduler: constant
                        shuffle: false
                        logEverySteps: 1
                        """.formatted(LR) + training);
        Path work = root.resolve("runs").resolve(name);
        RunSummary summary = JobRunner.run(JobManifests.read(manifest), SourceLocations.of(root, work), work,
                ProgressReporter.silent());
        assertThat(summary.steps()).as("one optimiser step").isEqualTo(1);
        return work;
    }

    private static JsonNode firstLog(Path work) {
        List<JsonNode> lines = TinyJob.jsonLines(work.resolve("metrics.jsonl"));
        assertThat(lines).isNotEmpty();
        return lines.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DPO", "ORPO"})
    void fourTimesTwoEqualsEightTimesOne(String method) throws Exception {
        String id = method.toLowerCase(Locale.ROOT);
        Path whole = run(id + "-8x1", method, "batchSize: 8\ngradientAccumulationSteps: 1\nmaxGradNorm: 0");
        Path accumulated = run(id + "-4x2", method, "batchSize: 4\ngradientAccumulationSteps: 2\nmaxGradNorm: 0");

        // AdamW's first step is nearly lr * sign(g), blind to the gradient's scale; the logged norm is not.
        double normWhole = firstLog(whole).get("grad_norm").asDouble();
        assertThat(firstLog(accumulated).get("grad_norm").asDouble()).isCloseTo(normWhole, within(1e-5 * normWhole));
        assertThat(firstLog(accumulated).get("loss").asDouble())
                .isCloseTo(firstLog(whole).get("loss").asDouble(), within(1e-6));

        Map<String, float[]> w1 = TinyJob.weights(whole.resolve("output"));
        Map<String, float[]> w2 = TinyJob.weights(accumulated.resolve("output"));
        Map<String, float[]> base = TinyJob.weights(root.resolve("base"));
        double moved = 0;
        for (String name : w1.keySet()) {
            float[] a = w1.get(name);
            float[] b = w2.get(name);
            for (int i = 0; i < a.length; i++) {
                assertThat((double) b[i]).as("%s %s[%d]", method, name, i).isCloseTo(a[i], within(1e-5));
                moved = Math.max(moved, Math.abs(a[i] - base.get(name)[i]));
            }
        }
        assertThat(moved).as("the step changed the weights").isGreaterThan(LR / 2);
    }

    @Test
    void clippingLogsThePreClipNormAndBoundsTheUpdate() throws Exception {
        double maxNorm = 1e-9;
        Path free = run("unclipped", "DPO", "batchSize: 8\nmaxGradNorm: 0");
        Path clipped = run("clipped", "DPO", "batchSize: 8\nmaxGradNorm: " + maxNorm);

        double preClip = firstLog(free).get("grad_norm").asDouble();
        assertThat(preClip).isGreaterThan(1e-4);
        assertThat(firstLog(clipped).get("grad_norm").asDouble()).as("grad_norm is logged before clipping")
                .isCloseTo(preClip, within(1e-6 * preClip));

        // After clipping every |g_i| <= maxNorm, and AdamW's first step moves a weight by lr*|g|/(|g| + eps) with
        // eps = 1e-8, so no weight can move more than lr * maxNorm / (maxNorm + eps) = lr / 11. Unclipped, the
        // larger gradients move their weights by almost the full lr.
        double bound = LR * maxNorm / (maxNorm + 1e-8);
        Map<String, float[]> base = TinyJob.weights(root.resolve("base"));
        assertThat(maxChange(base, TinyJob.weights(clipped.resolve("output")))).isLessThanOrEqualTo(bound * 1.001)
                .isGreaterThan(0);
        assertThat(maxChange(base, TinyJob.weights(free.resolve("output")))).isGreaterThan(LR / 2);
    }

    private static double maxChange(Map<String, float[]> before, Map<String, float[]> after) {
        double max = 0;
        for (String name : before.keySet()) {
            float[] a = before.get(name);
            float[] b = after.get(name);
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs((double) b[i] - a[i]));
            }
        }
        return max;
    }
}
