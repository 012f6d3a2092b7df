package dev.prefalign.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.optim.GradientClipping;
import dev.prefalign.trainer.optim.LrSchedule;
import dev.prefalign.trainer.runtime.Gradients;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** What a finished run reports. */
    public record Summary(long steps, double seconds, long tokens, Map<String, Double> trainMetrics,
            Map<String, Double> evalMetrics, int skippedSteps) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    public Summary run() {
        TrainingPlan plan = TrainingPlan.of(train.size(), settings.batchSize(), settings.gradientAccumulationSteps(),
                settings.epochs(), settings.maxSteps());
        DataOrder order = new DataOrder(train.size(), settings.shuffle(), settings.seed());
        LrSchedule schedule = LrSchedule.of(settings.lrScheduler(), plan.totalSteps(),
                LrSchedule.warmupSteps(settings.warmupRatio(), plan.totalSteps()));
        NDManager manager = policy.manager();
        policy.setTrainable(true);
        MetricsAverager window = new MetricsAverager();
        Map<String, Double> lastTrain = Map.of();
        Map<String, Double> lastEval = Map.of();
        long tokens = 0;
        int skipped = 0;
        long started = System.nanoTime();
        int cachedEpoch = -1;
        int[] epochOrder = null;
        try (AdamW adam = new AdamW(manager, settings.weightDecay(), TensorNames::decays)) {
            for (long step = 0; step < plan.totalSteps(); step++) {
                int epoch = plan.epochOf(step);
                if (epoch != cachedEpoch) {
                    epochOrder = order.epoch(epoch);
                    cachedEpoch = epoch;
                }
                int[] micro = plan.microBatchesOf(step);
                double lr = settings.learningRate() * schedule.factor(step);
                StepResult r = step(epochOrder, micro, lr, adam);
                tokens += r.tokens();
                skipped += r.applied() ? 0 : 1;
                Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
                metrics.put("grad_norm", r.gradNorm());
                metrics.put("learning_rate", lr);
                window.add(metrics);

                long done = step + 1;
                double elapsed = (System.nanoTime() - started) / 1e9;
                double tps = tokens / Math.max(elapsed, 1e-9);
                double eta = elapsed / done * (plan.totalSteps() - done);
                boolean logStep = done % settings.logEverySteps() == 0 || done == plan.totalSteps();
                if (logStep) {
                    lastTrain = window.drain();
                    Map<String, Double> line = new LinkedHashMap<>(lastTrain);
                    line.put("tokens_per_second", tps);
                    log.write(done, plan.epochProgress(done), line);
                }
                progress.update(done, plan.totalSteps(), lastTrain.isEmpty() ? metrics : lastTrain, tps, eta, logStep);
                boolean evalStep = eval != null && settings.evalEverySteps() > 0
                        && done % settings.evalEverySteps() == 0 && done != plan.totalSteps();
                if (evalStep) {
                    lastEval = evaluate(done, plan);
                }
            }
            if (eval != null) {
                lastEval = evaluate(plan.totalSteps(), plan);
            }
        } finally {
            policy.setTrainable(false);
        }
        return new Summary(plan.totalSteps(), (System.nanoTime() - started) / 1e9, tokens, lastTrain, lastEval,
                skipped);
    }

    private Map<String, Double> evaluate(long step, TrainingPlan plan) {
        Map<String, Double> m = Evaluator.evaluate(eval, settings.batchSize()).prefixed();
        log.write(step, plan.epochProgress(step), m);
        return m;
    }

    private record StepResult(Map<String, Double> metrics, double gradNorm, long tokens, boolean applied) {
    }

    private StepResult step(int[] epochOrder, int[] microBatches, double lr, AdamW adam) {
        MetricsAverager stepMetrics = new MetricsAverager();
        long tokens = 0;
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = policy.manager().getEngine().newGradientCollector()) {
                for (int k : microBatches) {
                    int[] idx = DataOrder.microBatch(epochOrder, k, settings.batchSize());
                    try (NDScope microScope = new NDScope()) {
                        LossResult r = train.loss(idx);
                        collector.backward(r.loss().div(microBatches.length));
                        stepMetrics.add(r.metrics());
                        tokens += train.tokens(idx);
                    }
                }
            }
            Map<String, NDArray> grads = Gradients.of(policy.parameters());
            double norm = GradientClipping.clip(grads.values(), settings.maxGradNorm());
            boolean finite = Double.isFinite(norm);
            if (finite) {
                adam.step(policy.parameters(), grads, lr);
            } else {
                LOG.warning("gradient norm is " + norm + "; skipping this optimiser step");
            }
            Gradients.zero(policy.parameters().values());
            return new StepResult(stepMetrics.drain(), norm, tokens, finite);
        }
    }
}
