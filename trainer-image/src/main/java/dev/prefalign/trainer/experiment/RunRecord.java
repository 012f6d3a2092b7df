package dev.prefalign.trainer.experiment;

import java.util.Map;

/**
 * What one run of an experiment did, kept as {@code run-record.json} in its work dir: enough to rerun it exactly (the
 * resolved job.yaml beside it, the seed, the sources' revisions, the code version) and its cost.
 *
 * @param state         {@link #SUCCEEDED}, {@link #FAILED}, {@link #INTERRUPTED}, or {@link #PENDING} (not run yet)
 * @param error         why it failed; null otherwise
 * @param seconds       wall time of the run: loading, training, evaluations during training and export
 * @param trainSeconds  the training loop's own time (the run summary's {@code seconds})
 * @param peakRssBytes  peak resident memory of the process during the run; -1 when the platform does not say
 */
public record RunRecord(int index, String name, String description, Map<String, String> settings, String method,
        String state, String error, long steps, double seconds, double trainSeconds, long peakRssBytes, long seed,
        Revisions revisions, String codeVersion, String startedAt, String finishedAt) {
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String INTERRUPTED = "Interrupted";
    public static final String PENDING = "Pending";

    public boolean succeeded() {
        return SUCCEEDED.equals(state);
    }

    /** A run planned but without a record yet. */
    public static RunRecord pending(int index, String name, String description, Map<String, String> settings,
            String method) {
        return new RunRecord(index, name, description, settings, method, PENDING, null, 0, Double.NaN, Double.NaN,
                -1, 0, null, null, null, null);
    }
}
