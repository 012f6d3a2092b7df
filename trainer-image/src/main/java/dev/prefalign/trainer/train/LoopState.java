package dev.prefalign.trainer.train;

import java.util.Map;

/**
 * Everything besides the weights and optimiser moments that a resumed run needs to continue exactly as an
 * uninterrupted one: the step reached, the metric window not yet logged, counters, the latest reported metrics and,
 * for float16 training, the loss scaler (0 when unused).
 * The data order needs no state of its own: it is a function of the seed, the epoch and the step.
 */
public record LoopState(
        long step,
        long optimizerSteps,
        Map<String, double[]> pendingWindow,
        long tokens,
        int skippedSteps,
        double elapsedSeconds,
        Map<String, Double> lastTrainMetrics,
        Map<String, Double> lastEvalMetrics,
        double lossScale,
        int lossScaleCleanSteps) {

    public static LoopState start() {
        return new LoopState(0, 0, Map.of(), 0, 0, 0, Map.of(), Map.of(), 0, 0);
    }
}
