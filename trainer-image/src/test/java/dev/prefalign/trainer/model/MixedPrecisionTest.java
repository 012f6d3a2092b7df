package dev.prefalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.golden.GoldenCase;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.loss.PairScores;
import dev.prefalign.trainer.loss.ReferenceLogps;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.runtime.Gradients;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.train.ProgressReporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16 mixed precision (what {@code precision: auto} means on a GPU), run on the CPU: the same numbers as the
 * PyTorch reference within float16's precision, gradients on the float32 master weights, and a training run.
 */
class MixedPrecisionTest {

    @Test
    void float16ComputeAgreesWithTheReferenceAndGradientsReachTheFloat32Weights() throws Exception {
        GoldenCase c = GoldenCase.load("qwen2-tiny");
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                CausalLm policy = ModelStore.load(c.dir(), manager);
                CausalLm reference = ModelStore.load(c.dir().resolve("reference"), manager)) {
            policy.setComputeType(DataType.FLOAT16);
            reference.setComputeType(DataType.FLOAT16);
            ReferenceLogps ref;
            try (NDScope scope = new NDScope()) {
                PairScores r = PairScores.split(SequenceScores.of(reference, c.batch()));
                ref = new ReferenceLogps(r.chosenLogps(), r.rejectedLogps());
            }
            policy.setTrainable(true);
            try (NDScope scope = new NDScope()) {
                LossResult loss;
                try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                    SequenceScores scores = SequenceScores.of(policy, c.batch());
                    float[] logps = scores.sum().toFloatArray();
                    float[] expected = c.tensor("policy_logps");
                    for (int i = 0; i < logps.length; i++) {
                        // ~8 tokens, each log-prob good to float16's ~1e-3 relative precision
                        assertThat((double) logps[i]).isCloseTo(expected[i], within(0.05 + 0.005 * Math.abs(expected[i])));
                    }
                    loss = new SigmoidDpoLoss(0.1, 0).compute(PairScores.split(scores), ref);
                    assertThat(loss.loss().getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(loss.lossValue()).isCloseTo(c.scalar("dpo_sigmoid"), within(1e-2));
                    gc.backward(loss.loss());
                }
                Map<String, NDArray> grads = Gradients.of(policy.parameters());
                double dot = 0;
                double normA = 0;
                double normB = 0;
                for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                    assertThat(e.getValue().getDataType()).as(e.getKey()).isEqualTo(DataType.FLOAT32);
                    float[] g = e.getValue().toFloatArray();
                    float[] expected = c.tensor("grad/dpo_sigmoid/" + e.getKey());
                    for (int i = 0; i < g.length; i++) {
                        dot += (double) g[i] * expected[i];
                        normA += (double) g[i] * g[i];
                        normB += (double) expected[i] * expected[i];
                    }
                }
                // The whole gradient points the same way as float32's (cosine similarity) with nearly the same norm.
                assertThat(dot / Math.sqrt(normA * normB)).isGreaterThan(0.999);
                assertThat(Math.sqrt(normA) / Math.sqrt(normB)).isCloseTo(1.0, within(0.01));
            }
        }
    }

    @Test
    void aFloat16RunTrainsRecordsItsLossScaleAndExportsFloat32Weights(@TempDir Path tmp) throws Exception {
        TinyJob.model(tmp.resolve("model"), 6);
        TinyJob.writePairs(tmp.resolve("prefs.jsonl"), TinyJob.pairs(80, 2).stream()
                .filter(p -> !p.chosen().equals(p.rejected())).toList());
        Path manifest = TinyJob.manifest(tmp.resolve("job.yaml"), "fp16", "DPO", "model", "prefs.jsonl",
                "dpo:\n  beta: 0.5\ncheckpoints:\n  everySteps: 10\n",
                "precision: fp16\nlearningRate: 2.0e-3\nbatchSize: 4\nmaxSteps: 20\nlogEverySteps: 1\nshuffle: false\n");
        var job = JobManifests.read(manifest);
        RunSummary summary = JobRunner.run(job, SourceLocations.of(tmp, tmp.resolve("w")), tmp.resolve("w"),
                ProgressReporter.silent());
        assertThat(summary.steps()).isEqualTo(20);
        List<JsonNode> lines = TinyJob.jsonLines(tmp.resolve("w/metrics.jsonl"));
        lines.forEach(l -> assertThat(l.get("loss").asDouble()).isFinite());
        // Against the initial model as reference, the untrained loss is log 2; the trained policy must beat it.
        double trained = JobRunner.evaluate(job, SourceLocations.of(tmp, tmp.resolve("e")), tmp.resolve("e"),
                tmp.resolve("w/output")).metrics().get("loss");
        assertThat(trained).as("DPO loss on the training pairs after fp16 training").isLessThan(Math.log(2) - 0.01);
        JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(tmp.resolve("w/checkpoints/step-0000020/trainer_state.json").toFile());
        assertThat(state.get("lossScale").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(TinyJob.weights(tmp.resolve("w/output")).values()).allSatisfy(w -> assertThat(w).doesNotContain(
                Float.NaN));
    }
}
