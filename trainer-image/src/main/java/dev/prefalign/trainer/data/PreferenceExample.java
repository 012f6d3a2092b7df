package dev.prefalign.trainer.data;

import java.util.Objects;

/**
 * One preference pair. {@code origin} says where it came from ({@code "data/train-00000-of-00001.parquet:row 17"}), so
 * later errors (a prompt longer than the model's context, say) can point at the row.
 */
public record PreferenceExample(String origin, Segment prompt, Segment chosen, Segment rejected) {
    public PreferenceExample {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
    }
}
