package dev.prefalign.operator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 3339 times as Kubernetes writes them into metadata and status. */
public final class Timestamps {

    private Timestamps() {
    }

    /** The instant, or empty when the text is absent or not an RFC 3339 time. */
    public static Optional<Instant> parse(String timestamp) {
        if (timestamp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
