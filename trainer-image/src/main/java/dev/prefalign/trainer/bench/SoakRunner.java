package dev.prefalign.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefalign.trainer.demo.TinyModelFactory;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelConfig;
import dev.prefalign.trainer.runtime.PeakMemory;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.train.MetricsLog;
import dev.prefalign.trainer.train.PreferenceObjective;
import dev.prefalign.trainer.train.ProgressReporter;
import dev.prefalign.trainer.train.ReferenceSource;
import dev.prefalign.trainer.train.TrainingLoop;
import dev.prefalign.trainer.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A native-memory soak: many DPO steps (live reference, the path with the most temporaries) of a small model, with the
 * resident set sampled along the way. A leak shows as a steady slope; a healthy run is flat after the first steps.
 */
public final class SoakRunner {
    /** RSS after {@code step} steps. */
    public record Sample(long step, long rssBytes) {
    }

    public record Result(List<Sample> samples, double slopeBytesPerStep) {
    }

    public Result run(int steps, int sampleEvery) throws IOException {
        ModelConfig config = ModelConfig.fromJson(
                TinyModelFactory.configJson(2048, new TinyModelFactory.Shape(128, 344, 2, 4, 2, true)), "soak model");
        List<Sample> samples = new ArrayList<>();
        Path tmp = Files.createTempFile("prefalign-soak", ".jsonl");
        try (NDManager manager = NDManager.newBaseManager("PyTorch"); MetricsLog log = new MetricsLog(tmp, false)) {
            NDManager m = manager.newSubManager();
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (TensorData t : TinyModelFactory.randomWeights(config, 5)) {
                params.put(t.name(), m.create(t.values(), new Shape(t.shape())));
            }
            CausalLm policy = new CausalLm(config, m, params);
            CausalLm reference = policy.frozenCopy();
            List<TokenizedPair> pairs = BenchRunner.syntheticPairs(config.vocabSize(), 64);
            PreferenceObjective objective = new PreferenceObjective(policy, pairs, new SigmoidDpoLoss(0.1, 0),
                    new ReferenceSource.Live(reference), 0);
            TrainingSettings settings = new TrainingSettings(1e-5, 1, steps, 8, 1, "constant", 0, 0.01, 1.0, true, 0,
                    Integer.MAX_VALUE, 0);
            samples.add(new Sample(0, PeakMemory.currentResidentBytes().orElse(-1)));
            new TrainingLoop(policy, settings, objective, null, log, ProgressReporter.silent())
                    .onStep((step, metrics) -> {
                        if (step % sampleEvery == 0) {
                            samples.add(new Sample(step, PeakMemory.currentResidentBytes().orElse(-1)));
                        }
                    })
                    .run();
            reference.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Result(samples, slopeAfterWarmup(samples));
    }

    /**
     * Least-squares slope of RSS over the second half of the run: the first steps grow the allocator's arenas and the
     * engine's caches, which is warm-up, not a leak; a leak keeps growing to the end.
     */
    static double slopeAfterWarmup(List<Sample> samples) {
        int from = samples.size() / 2;
        List<Sample> tail = samples.subList(from, samples.size());
        double n = tail.size();
        double mx = tail.stream().mapToDouble(Sample::step).sum() / n;
        double my = tail.stream().mapToDouble(Sample::rssBytes).sum() / n;
        double num = 0;
        double den = 0;
        for (Sample s : tail) {
            num += (s.step() - mx) * (s.rssBytes() - my);
            den += (s.step() - mx) * (s.step() - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
