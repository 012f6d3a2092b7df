package dev.prefalign.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.Scalars;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.optim.GradientClipping;
import dev.prefalign.trainer.optim.LossScaler;
import dev.prefalign.trainer.optim.LrSchedule;
import dev.prefalign.trainer.runtime.Gradients;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The optimisation loop: for each step, the micro-batches of the plan through forward and backward (loss divided by
 * their count, as gradient accumulation does in transformers), global-norm clipping, AdamW at the scheduled learning
 * rate; metrics averaged between logging steps; evaluation every {@code evalEverySteps} and at the end.
 */
public final class TrainingLoop {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class.getName());

    private final CausalLm policy;
    private final TrainingSettings settings;
    private final Objective train;
    private final Objective eval;
    private final MetricsLog log;
    private final ProgressReporter progress;
    private StepListener listener = (step, metrics) -> { };
    private Checkpointer checkpointer = Checkpointer.NONE;
    private int checkpointEvery;
    private BooleanSupplier stopRequested = () -> false;

    /**
     * Follows the loop (status reporting, memory sampling): called after every optimiser step, around evaluations and
     * before checkpoint writes. The step's metrics include {@code num_tokens}, the running count of tokens trained on.
     */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(long step, Map<String, Double> metrics);

        default void evaluating() {
        }

        default void evaluated(Map<String, Double> evalMetrics) {
        }

        default void checkpointing() {
        }
    }

    public TrainingLoop onStep(StepListener listener) {
        this.listener = listener;
        return this;
    }

    /** @param eval null when there is no evaluation set */
    public TrainingLoop(CausalLm policy, TrainingSettings settings, Objective train, Objective eval, MetricsLog log,
            ProgressReporter progress) {
        this.policy = policy;
        this.settings = settings;
        this.train = train;
        this.eval = eval;
        this.log = log;
        this.progress = progress;
    }

    /** What a finished (or interrupted) run reports. */
    public record Summary(long steps, double seconds, long tokens, Map<String, Double> trainMetrics,
            Map<String, Double> evalMetrics, int skippedSteps, boolean interrupted) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /**
     * Saves through {@code checkpointer} every {@code everySteps} steps and after the last one; after any step at which
     * {@code stopRequested} answers true (SIGTERM), saves and returns an interrupted summary.
     */
    public TrainingLoop checkpoints(Checkpointer checkpointer, int everySteps, BooleanSupplier stopRequested) {
        this.checkpointer = checkpointer;
        this.checkpointEvery = everySteps;
        this.stopRequested = stopRequested;
        return this;
    }

    /** A fresh run with its own optimiser. */
    public Summary run() throws IOException {
        try (AdamW adam = newOptimizer(policy, settings)) {
            return run(adam, LoopState.start());
        }
    }

    /** The optimiser a run uses: AdamW, weight decay off biases and norms as in Hugging Face's Trainer. */
    public static AdamW newOptimizer(CausalLm policy, TrainingSettings settings) {
        return new AdamW(policy.manager(), settings.weightDecay(), TensorNames::decays);
    }

    /** Runs from {@code from} (a resumed state, or {@link LoopState#start()}) with an optimiser restored to match. */
    public Summary run(AdamW adam, LoopState from) throws IOException {
        TrainingPlan plan = TrainingPlan.of(train.size(), settings.batchSize(), settings.gradientAccumulationSteps(),
                settings.epochs(), settings.maxSteps());
        DataOrder order = new DataOrder(train.size(), settings.shuffle(), settings.seed());
        LrSchedule schedule = LrSchedule.of(settings.lrScheduler(), plan.totalSteps(),
                LrSchedule.warmupSteps(settings.warmupRatio(), plan.totalSteps()));
        policy.setTrainable(true);
        MetricsAverager window = new MetricsAverager(from.pendingWindow());
        LossScaler scaler = new LossScaler(policy.computeType() == DataType.FLOAT16, from.lossScale());
        scaler.restoreCleanSteps(from.lossScaleCleanSteps());
        Map<String, Double> lastTrain = from.lastTrainMetrics();
        Map<String, Double> lastEval = from.lastEvalMetrics();
        long tokens = from.tokens();
        long sessionTokens = 0;
        int skipped = from.skippedSteps();
        long started = System.nanoTime();
        int cachedEpoch = -1;
        int[] epochOrder = null;
        long step = from.step();
        boolean interrupted = false;
        try {
            while (step < plan.totalSteps()) {
                int epoch = plan.epochOf(step);
                if (epoch != cachedEpoch) {
                    epochOrder = order.epoch(epoch);
                    cachedEpoch = epoch;
                }
                double lr = settings.learningRate() * schedule.factor(step);
                StepResult r = step(epochOrder, plan.microBatchesOf(step), lr, adam, scaler);
                step++;
                tokens += r.tokens();
                sessionTokens += r.tokens();
                skipped += r.applied() ? 0 : 1;
                Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
                metrics.put("grad_norm", r.gradNorm());
                metrics.put("learning_rate", lr);
                window.add(metrics);

                double sessionSeconds = (System.nanoTime() - started) / 1e9;
                double tps = sessionTokens / Math.max(sessionSeconds, 1e-9);
                double eta = sessionSeconds / (step - from.step()) * (plan.totalSteps() - step);
                boolean logStep = step % settings.logEverySteps() == 0 || step == plan.totalSteps();
                if (logStep) {
                    lastTrain = window.drain();
                    Map<String, Double> line = new LinkedHashMap<>(lastTrain);
                    line.put("tokens_per_second", tps);
                    log.write(step, plan.epochProgress(step), line);
                }
                progress.update(step, plan.totalSteps(), lastTrain.isEmpty() ? metrics : lastTrain, tps, eta, logStep);
                if (eval != null && (step == plan.totalSteps()
                        || settings.evalEverySteps() > 0 && step % settings.evalEverySteps() == 0)) {
                    lastEval = evaluate(step, plan);
                }
                metrics.put("num_tokens", (double) tokens);
                listener.afterStep(step, metrics);
                boolean stop = stopRequested.getAsBoolean();
                if (stop || step == plan.totalSteps() || checkpointEvery > 0 && step % checkpointEvery == 0) {
                    listener.checkpointing();
                    checkpointer.save(new LoopState(step, adam.stepCount(), window.snapshot(), tokens, skipped,
                            from.elapsedSeconds() + (System.nanoTime() - started) / 1e9, lastTrain, lastEval,
                            scaler.scale() == 1.0 && policy.computeType() == DataType.FLOAT32 ? 0 : scaler.scale(),
                            scaler.cleanSteps()), adam);
                }
                if (stop && step < plan.totalSteps()) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            policy.setTrainable(false);
        }
        return new Summary(step, from.elapsedSeconds() + (System.nanoTime() - started) / 1e9, tokens, lastTrain,
                lastEval, skipped, interrupted);
    }

    private Map<String, Double> evaluate(long step, TrainingPlan plan) {
        listener.evaluating();
        Map<String, Double> m = Evaluator.evaluate(eval, settings.batchSize()).prefixed();
        log.write(step, plan.epochProgress(step), m);
        listener.evaluated(m);
        return m;
    }

    private record StepResult(Map<String, Double> metrics, double gradNorm, long tokens, boolean applied) {
    }

    private StepResult step(int[] epochOrder, int[] microBatches, double lr, AdamW adam, LossScaler scaler) {
        MetricsAverager stepMetrics = new MetricsAverager();
        long tokens = 0;
        // float16: the loss is scaled up so that small gradients survive float16's range in the backward pass
        float lossFactor = (float) (scaler.scale() / microBatches.length);
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = policy.manager().getEngine().newGradientCollector()) {
                for (int k : microBatches) {
                    int[] idx = DataOrder.microBatch(epochOrder, k, settings.batchSize());
                    try (NDScope microScope = new NDScope()) {
                        LossResult r = train.loss(idx);
                        collector.backward(Scalars.mul(r.loss(), lossFactor));
                        stepMetrics.add(r.metrics());
                        tokens += train.tokens(idx);
                    }
                }
            }
            Map<String, NDArray> grads = Gradients.of(policy.parameters());
            if (scaler.scale() != 1.0) {
                grads.values().forEach(g -> g.muli((float) (1.0 / scaler.scale())));
            }
            double norm = GradientClipping.clip(grads.values(), settings.maxGradNorm());
            boolean apply = scaler.update(Double.isFinite(norm));
            if (apply) {
                adam.step(policy.parameters(), grads, lr);
            } else if (policy.computeType() == DataType.FLOAT32) {
                LOG.warning("gradient norm is " + norm + "; skipping this optimiser step");
            } else {
                LOG.fine("float16 overflow; skipping this step, loss scale now " + scaler.scale());
            }
            Gradients.zero(policy.parameters().values());
            return new StepResult(stepMetrics.drain(), norm, tokens, apply);
        }
    }
}
