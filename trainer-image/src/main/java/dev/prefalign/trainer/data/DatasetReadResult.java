package dev.prefalign.trainer.data;

import java.util.List;

/**
 * The examples read from a dataset, with the rows left out under {@link InvalidRowPolicy#SKIP}.
 *
 * @param skipReasons the first {@link #MAX_SKIP_REASONS} reasons, each naming file, row and field
 */
public record DatasetReadResult<T>(List<T> examples, int skippedRows, List<String> skipReasons) {

    /** Enough to see a pattern in the log without flooding it. */
    public static final int MAX_SKIP_REASONS = 20;

    public DatasetReadResult {
        examples = List.copyOf(examples);
        skipReasons = List.copyOf(skipReasons);
        if (skippedRows < 0) {
            throw new IllegalArgumentException("skippedRows must not be negative: " + skippedRows);
        }
    }
}
