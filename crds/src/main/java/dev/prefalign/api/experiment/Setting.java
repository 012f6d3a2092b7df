package dev.prefalign.api.experiment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field a run sets on top of the base spec.
 *
 * @param path   the field, relative to {@code spec} ({@code dpo.beta})
 * @param value  its value
 * @param origin where the value is written in the experiment file ({@code spec.grid["dpo.beta"][1]} or
 *               {@code spec.variations[0].dpo.beta}), for error messages
 */
public record Setting(String path, JsonNode value, String origin) {

    /** The value as the report shows it. */
    public String text() {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
