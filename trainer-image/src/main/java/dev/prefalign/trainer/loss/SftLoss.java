package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/** Supervised fine-tuning: cross-entropy over completion tokens, averaged over the batch's completion tokens. */
public final class SftLoss {

    public LossResult compute(SequenceScores scores) {
        NDArray loss = scores.sum().sum().neg().div(scores.count().sum());
        double[] sums = PairMath.doubles(scores.sum());
        double[] counts = PairMath.doubles(scores.count());
        double[] perExample = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            perExample[i] = -sums[i] / counts[i];
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) loss.getFloat());
        return new LossResult(loss, perExample, metrics, Map.of("policy_logps", sums));
    }
}
