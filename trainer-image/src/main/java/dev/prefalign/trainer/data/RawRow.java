package dev.prefalign.trainer.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a data file before it is interpreted. {@code origin} names the file and the 1-based row (or, for JSON
 * Lines, line) number: {@code "train.jsonl:line 17"}.
 */
public sealed interface RawRow {

    String origin();

    /**
     * A row's columns. Values are what JSON gives: {@code String}, numbers, {@code Boolean}, {@code null},
     * {@code List<Object>} and {@code Map<String, Object>} (Parquet lists and structs become the same).
     */
    record Values(String origin, Map<String, Object> columns) implements RawRow {
        public Values {
            Objects.requireNonNull(origin, "origin");
            // An unmodifiable copy that keeps the column order and allows null values (Map.copyOf does not).
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }
    }

    /** A row that could not even be parsed (a malformed JSON line); an invalid row like any other. */
    record Malformed(String origin, String problem) implements RawRow {
        public Malformed {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(problem, "problem");
        }
    }
}
