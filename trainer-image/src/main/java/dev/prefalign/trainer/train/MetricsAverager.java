package dev.prefalign.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Means of metric values over the batches added since the last {@link #drain()}, as TRL aggregates logged metrics. */
final class MetricsAverager {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    MetricsAverager() {
    }

    /** Restores a window saved with {@link #snapshot()} (sum and count per metric). */
    MetricsAverager(Map<String, double[]> saved) {
        saved.forEach((k, v) -> sums.put(k, v.clone()));
    }

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

    Map<String, double[]> snapshot() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        sums.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    Map<String, Double> drain() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        sums.clear();
        return out;
    }
}
