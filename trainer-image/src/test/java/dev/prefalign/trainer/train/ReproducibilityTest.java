package dev.prefalign.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of the same manifest end in the same place, bit for bit: the order of the data depends only on the seed,
 * and nothing else (time, hash order, thread scheduling) may leak into the numbers. A different seed must matter.
 */
class ReproducibilityTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void writeModelAndData() {
        TinyJob.model(root.resolve("base"), 3);
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.pairs(12, 5));
    }

    /** Runs a DPO job (12 pairs, batch 4, 2 epochs = 6 steps) and returns its work dir. */
    private static Path run(String name, boolean shuffle, long seed) throws Exception {
        Path manifest = TinyJob.manifest(root.resolve(name + ".yaml"), name, "DPO", "base", "data/pairs.jsonl",
                "dpo:\n  beta: 0.5", """
                        learningRate: 1.0e-2
                        epochs: 2
                        batchSize: 4
                        lrScheduler: linear
                        warmupRatio: 0.2
                        shuffle: %s
                        seed: %d
                        logEverySteps: 1
                        """.formatted(shuffle, seed));
        Path work = root.resolve("runs").resolve(name);
        RunSummary summary = JobRunner.run(JobManifests.read(manifest), SourceLocations.of(root, work), work,
                ProgressReporter.silent());
        assertThat(summary.steps()).isEqualTo(6);
        return work;
    }

    private static byte[] weightsFile(Path work) throws Exception {
        return Files.readAllBytes(work.resolve("output/model.safetensors"));
    }

    /** metrics.jsonl without the wall-clock throughput, which legitimately differs. */
    private static List<JsonNode> metrics(Path work) {
        List<JsonNode> lines = TinyJob.jsonLines(work.resolve("metrics.jsonl"));
        lines.forEach(l -> ((ObjectNode) l).remove("tokens_per_second"));
        return lines;
    }

    @Test
    void fileOrderRunsAreBitIdentical() throws Exception {
        Path a = run("ordered-a", false, 42);
        Path b = run("ordered-b", false, 42);
        assertThat(weightsFile(a)).as("output/model.safetensors bytes").isEqualTo(weightsFile(b));
        List<JsonNode> ma = metrics(a);
        assertThat(ma).as("one line per step").hasSize(6);
        assertThat(ma.get(0).has("loss")).isTrue();
        assertThat(metrics(b)).isEqualTo(ma);
        // training did change the model, so equality above is not the trivial kind
        assertThat(TinyJob.weights(a.resolve("output")).get("model.embed_tokens.weight"))
                .isNotEqualTo(TinyJob.weights(root.resolve("base")).get("model.embed_tokens.weight"));
    }

    @Test
    void shuffledRunsWithTheSameSeedAreBitIdenticalAndTheSeedMatters() throws Exception {
        Path a = run("shuffled-a", true, 42);
        Path b = run("shuffled-b", true, 42);
        Path c = run("shuffled-seed-43", true, 43);
        Path ordered = run("ordered-c", false, 42);
        assertThat(weightsFile(a)).isEqualTo(weightsFile(b));
        assertThat(metrics(a)).isEqualTo(metrics(b));

        Map<String, float[]> wa = TinyJob.weights(a.resolve("output"));
        Map<String, float[]> wc = TinyJob.weights(c.resolve("output"));
        Map<String, float[]> wo = TinyJob.weights(ordered.resolve("output"));
        String name = "model.layers.1.mlp.down_proj.weight";
        assertThat(wc.get(name)).as("another seed visits the pairs in another order").isNotEqualTo(wa.get(name));
        assertThat(wo.get(name)).as("shuffling is applied at all").isNotEqualTo(wa.get(name));
    }
}
