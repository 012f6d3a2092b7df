package dev.prefalign.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Llama 3.1's frequency-dependent RoPE scaling ({@code rope_type: llama3}): long wavelengths are divided by
 * {@code factor}, short ones kept, the band between interpolated smoothly. Other scaling types change the maths in ways
 * the trainer does not implement, so they are refused rather than silently ignored.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    static Optional<RopeScaling> fromConfig(JsonNode node, String origin) throws IOException {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String type = node.has("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("");
        if (type.equals("default")) {
            return Optional.empty();
        }
        if (!type.equals("llama3")) {
            throw new IOException(origin + ": rope_scaling type '" + type + "' is not supported (only llama3)");
        }
        return Optional.of(new RopeScaling(
                node.path("factor").asDouble(8.0),
                node.path("low_freq_factor").asDouble(1.0),
                node.path("high_freq_factor").asDouble(4.0),
                node.path("original_max_position_embeddings").asInt(8192)));
    }

    /** Applies the scaling to one inverse frequency, as transformers' {@code _compute_llama3_parameters}. */
    double scale(double invFreq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        if (wavelen > lowFreqWavelen) {
            return invFreq / factor;
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
