package dev.prefalign.trainer.job;

import java.util.List;
import java.util.Map;

/**
 * What a finished or interrupted run reports: printed, written to {@code --summary-file} (in Kubernetes the
 * termination message, read by the operator) and kept in the work dir as {@code summary.json}.
 */
public record RunSummary(
        String name,
        String method,
        String state,
        long steps,
        long totalSteps,
        double seconds,
        double tokensPerSecond,
        Map<String, Double> metrics,
        Map<String, Double> evalMetrics,
        List<CheckpointEntry> checkpoints,
        String outputPath,
        int skippedSteps) {

    public static final String SUCCEEDED = "Succeeded";
    public static final String INTERRUPTED = "Interrupted";

    /** A checkpoint as the CR's status lists it. */
    public record CheckpointEntry(long step, String path, String time) {
    }

    public boolean interrupted() {
        return INTERRUPTED.equals(state);
    }
}
