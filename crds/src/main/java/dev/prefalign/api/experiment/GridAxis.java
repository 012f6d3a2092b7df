package dev.prefalign.api.experiment;

import dev.prefalign.api.manifest.FieldPaths;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One axis of {@code spec.grid}: a field of the job spec, written relative to {@code spec} ({@code dpo.beta},
 * {@code training.learningRate}), and the values it takes.
 */
public record GridAxis(String path, List<JsonNode> values) {
    public static final String METHOD = "method";

    public GridAxis {
        values = List.copyOf(values);
    }

    /** Where the axis is written in the experiment file, e.g. {@code spec.grid["dpo.beta"]}. */
    public String origin() {
        return FieldPaths.child("spec.grid", path);
    }

    public String origin(int valueIndex) {
        return FieldPaths.element(origin(), valueIndex);
    }

    AxisScope scope() {
        return AxisScope.of(path);
    }
}
