package dev.prefalign.operator.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the trainer reports (its /status document and its run summary). Tolerant: fields a newer trainer adds
 * are skipped, and text that is not such a document reads as nothing rather than failing a reconcile.
 */
public final class TrainerJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TrainerJson() {
    }

    /** The trainer's /status document, or empty if the text is not one. */
    public static Optional<TrainerReport> report(String json) {
        return read(json, TrainerReport.class).filter(r -> r.phase() != null);
    }

    /** A run summary (the trainer's termination message), or empty if the text is not one. */
    public static Optional<RunSummary> summary(String json) {
        return read(json, RunSummary.class).filter(s -> s.state() != null);
    }

    private static <T> Optional<T> read(String json, Class<T> type) {
        if (json == null || !json.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(json, type));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** Metrics without the values JSON could not hold (NaN is sent as null). */
    static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (metrics != null) {
            metrics.forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** A checkpoint as the trainer lists it, in /status and in the summary. */
    public record Checkpoint(long step, String path, String time) {
    }

    /**
     * The trainer's /status document (see docs/status-endpoint.md); only the fields the operator uses.
     *
     * @param phase the trainer's own phase: starting, downloading, loading, training, evaluating, checkpointing,
     *              exporting, succeeded, failed, interrupted
     */
    public record TrainerReport(String phase, String message, long step, long totalSteps, double epoch,
            double percent, Double etaSeconds, Double tokensPerSecond, String updatedAt,
            Map<String, Double> metrics, Map<String, Double> evalMetrics, List<Checkpoint> checkpoints) {

        /** Whether the trainer is past loading and takes (or has taken) optimiser steps. */
        public boolean training() {
            return switch (phase) {
                case "training", "evaluating", "checkpointing", "exporting", "succeeded" -> true;
                default -> false;
            };
        }
    }

    /** The run summary the trainer writes as its termination message when it ends or is interrupted. */
    public record RunSummary(String name, String method, String state, long steps, long totalSteps,
            double seconds, double tokensPerSecond, Map<String, Double> metrics, Map<String, Double> evalMetrics,
            List<Checkpoint> checkpoints, String outputPath, int skippedSteps) {

        public boolean succeeded() {
            return "Succeeded".equals(state);
        }
    }
}
