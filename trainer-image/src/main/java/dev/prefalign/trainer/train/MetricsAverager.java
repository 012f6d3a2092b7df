package dev.prefalign.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Means of metric values over the batches added since the last {@link #drain()}, as TRL aggregates logged metrics. */
final class MetricsAverager {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    void add(Map<String, Double> metrics) {
        metrics.forEach((k, v) -> {
            double[] s = sums.computeIfAbsent(k, x -> new double[2]);
            s[0] += v;
            s[1] += 1;
        });
    }

    boolean isEmpty() {
        return sums.isEmpty();
    }

    Map<String, Double> drain() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        sums.clear();
        return out;
    }
}
