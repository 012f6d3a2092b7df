package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A batch's loss (a float32 scalar that carries gradients), the per-example losses (independent of batching) and the
 * batch's metrics under TRL's names, plus per-example columns for {@code evaluate --per-example}.
 */
public record LossResult(NDArray loss, double[] perExampleLoss, Map<String, Double> metrics,
        Map<String, double[]> perExampleColumns) {
    public double lossValue() {
        return loss.getFloat();
    }
}
