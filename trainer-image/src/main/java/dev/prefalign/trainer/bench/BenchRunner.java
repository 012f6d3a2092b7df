package dev.prefalign.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefalign.trainer.loss.AlignmentLoss;
import dev.prefalign.trainer.loss.OrpoLoss;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelConfig;
import dev.prefalign.trainer.model.TensorNames;
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
import java.util.SplittableRandom;

/**
 * Training throughput of a ~20M-parameter Llama-shaped model (batch 8 pairs x 256 tokens) through the real training
 * loop, against the matmul peak measured in the same process through the same engine. Model FLOPs per step:
 * 6 x params x tokens for the policy, plus 2 x params x tokens for DPO's reference forward (attention not counted).
 */
public final class BenchRunner {
    public static final int PAIRS = 8;
    public static final int SEQUENCE = 256;
    private static final int PROMPT = 64;

    /** Figures of one method's benchmark. */
    public record Result(String method, long parameters, int steps, double stepMs, double tokensPerSecond,
            double matmulPeakGflops, double mfu, long rssStartBytes, long rssEndBytes) {
    }

    private final int steps;
    private final int warmup;

    public BenchRunner(int steps, int warmup) {
        this.steps = steps;
        this.warmup = warmup;
    }

    public static ModelConfig benchConfig() throws IOException {
        var config = dev.prefalign.trainer.demo.TinyModelFactory.configJson(8192,
                new dev.prefalign.trainer.demo.TinyModelFactory.Shape(384, 1024, 8, 6, 2, true));
        return ModelConfig.fromJson(config, "bench model");
    }

    public List<Result> run(List<String> methods) throws IOException {
        ModelConfig config = benchConfig();
        double peak = MatmulPeak.measure();
        List<Result> results = new ArrayList<>();
        for (String method : methods) {
            results.add(runMethod(config, method, peak));
        }
        return results;
    }

    private Result runMethod(ModelConfig config, String method, double peakGflops) throws IOException {
        boolean dpo = method.equals("dpo");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CausalLm policy = build(config, manager);
            CausalLm reference = dpo ? policy.frozenCopy() : null;
            AlignmentLoss loss = dpo ? new SigmoidDpoLoss(0.1, 0) : new OrpoLoss(0.1);
            List<TokenizedPair> pairs = syntheticPairs(config.vocabSize(), PAIRS * (warmup + steps));
            PreferenceObjective objective = new PreferenceObjective(policy, pairs, loss,
                    dpo ? new ReferenceSource.Live(reference) : null, 0);
            Path tmp = Files.createTempFile("prefalign-bench", ".jsonl");
            try (MetricsLog log = new MetricsLog(tmp, false)) {
                run(policy, objective, warmup, log);
                long rssStart = PeakMemory.currentResidentBytes().orElse(-1);
                long t0 = System.nanoTime();
                run(policy, objective, steps, log);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long rssEnd = PeakMemory.currentResidentBytes().orElse(-1);
                double stepMs = seconds * 1000 / steps;
                long tokens = (long) PAIRS * 2 * SEQUENCE;
                double flops = (6.0 + (dpo ? 2.0 : 0.0)) * config.parameterCount() * tokens;
                double mfu = flops / (stepMs / 1000) / (peakGflops * 1e9);
                return new Result(method, config.parameterCount(), steps, stepMs, tokens / (stepMs / 1000),
                        peakGflops, mfu, rssStart, rssEnd);
            } finally {
                Files.deleteIfExists(tmp);
                if (reference != null) {
                    reference.close();
                }
            }
        }
    }

    private static void run(CausalLm policy, PreferenceObjective objective, int steps, MetricsLog log)
            throws IOException {
        if (steps <= 0) {
            return;
        }
        TrainingSettings s = new TrainingSettings(1e-5, 1, steps, PAIRS, 1, "constant", 0, 0, 1.0, false, 0,
                Integer.MAX_VALUE, 0);
        new TrainingLoop(policy, s, objective, null, log, ProgressReporter.silent()).run();
    }

    private static CausalLm build(ModelConfig config, NDManager parent) {
        NDManager m = parent.newSubManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (TensorData t : dev.prefalign.trainer.demo.TinyModelFactory.randomWeights(config, 1)) {
            params.put(t.name(), m.create(t.values(), new Shape(t.shape())));
        }
        return new CausalLm(config, m, params);
    }

    /** Full-length pairs of random tokens: prompt 64, completions 192, so every row is exactly 256 tokens. */
    static List<TokenizedPair> syntheticPairs(int vocab, int count) {
        SplittableRandom r = new SplittableRandom(3);
        List<TokenizedPair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new TokenizedPair("synthetic:" + i, random(r, vocab, PROMPT), random(r, vocab, SEQUENCE - PROMPT),
                    random(r, vocab, SEQUENCE - PROMPT)));
        }
        return pairs;
    }

    private static int[] random(SplittableRandom r, int vocab, int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 4 + r.nextInt(vocab - 4);
        }
        return ids;
    }

}
