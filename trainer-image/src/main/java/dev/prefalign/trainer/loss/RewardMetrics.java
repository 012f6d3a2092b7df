package dev.prefalign.trainer.loss;

import java.util.Map;

/** TRL's reward metrics from per-pair implicit rewards; a tie is not a win. */
final class RewardMetrics {
    private RewardMetrics() {
    }

    static void put(Map<String, Double> metrics, double[] chosen, double[] rejected) {
        double wins = 0;
        double[] margins = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            wins += chosen[i] > rejected[i] ? 1 : 0;
            margins[i] = chosen[i] - rejected[i];
        }
        metrics.put("rewards/chosen", PairMath.mean(chosen));
        metrics.put("rewards/rejected", PairMath.mean(rejected));
        metrics.put("rewards/accuracies", chosen.length == 0 ? Double.NaN : wins / chosen.length);
        metrics.put("rewards/margins", PairMath.mean(margins));
    }
}
