package dev.prefalign.trainer.job;

import java.util.Map;

/**
 * What a finished run reports: printed, written to {@code --summary-file} (in Kubernetes the termination message, read
 * by the operator) and kept in the work dir.
 */
public record RunSummary(
        String name,
        String method,
        long steps,
        double seconds,
        double tokensPerSecond,
        Map<String, Double> metrics,
        Map<String, Double> evalMetrics,
        String outputPath,
        int skippedSteps) {
}
