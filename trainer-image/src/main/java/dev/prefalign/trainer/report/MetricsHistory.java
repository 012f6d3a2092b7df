package dev.prefalign.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A run's {@code metrics.jsonl} (see {@code MetricsLog}): one line per logging step with {@code step}, {@code epoch}
 * and TRL's metric names; evaluation lines carry {@code eval_} names. A value that was not finite reads as NaN.
 */
public record MetricsHistory(List<Line> lines) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One logged line: its step and every other value in it. */
    public record Line(long step, Map<String, Double> values) {
        public Line {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** One point of a metric's curve. */
    public record Point(long step, double value) {
    }

    public MetricsHistory {
        lines = List.copyOf(lines);
    }

    public static MetricsHistory empty() {
        return new MetricsHistory(List.of());
    }

    /** The file's lines; a missing file is an empty history (a run that never logged). */
    public static MetricsHistory read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        List<Line> out = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (IOException e) {
                continue; // a line cut short by a crash, as MetricsLog.truncateAfter treats it
            }
            Map<String, Double> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("step")) {
                    values.put(f.getKey(), number(f.getValue()));
                }
            });
            out.add(new Line(node.path("step").asLong(), values));
        }
        return new MetricsHistory(out);
    }

    private static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        try {
            return Double.parseDouble(value.asText()); // Jackson writes NaN and Infinity as strings
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The metric's finite values by step, in logged order. */
    public List<Point> series(String key) {
        List<Point> out = new ArrayList<>();
        for (Line line : lines) {
            Double v = line.values().get(key);
            if (v != null && Double.isFinite(v)) {
                out.add(new Point(line.step(), v));
            }
        }
        return out;
    }

    /** The metric's last logged value (NaN included), if it was ever logged. */
    public OptionalDouble last(String key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Double v = lines.get(i).values().get(key);
            if (v != null) {
                return OptionalDouble.of(v);
            }
        }
        return OptionalDouble.empty();
    }

    public long lastStep() {
        return lines.isEmpty() ? 0 : lines.get(lines.size() - 1).step();
    }
}
