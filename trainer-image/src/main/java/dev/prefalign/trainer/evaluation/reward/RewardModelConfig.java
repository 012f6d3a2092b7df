package dev.prefalign.trainer.evaluation.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.model.Architecture;
import dev.prefalign.trainer.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The {@code config.json} of a reward model: a Hugging Face sequence classifier ({@code LlamaForSequenceClassification},
 * {@code MistralForSequenceClassification} or {@code Qwen2ForSequenceClassification}) with one label, i.e. a decoder
 * whose final hidden state at the last non-pad token goes through {@code score.weight} [1, hidden] (no bias).
 *
 * @param decoder    the decoder's hyper-parameters, validated exactly as a causal LM's of the same family
 * @param padTokenId {@code pad_token_id}; empty when null or absent (transformers then scores the last position)
 */
public record RewardModelConfig(String architecture, ModelConfig decoder, OptionalInt padTokenId) {
    /** transformers' name for the classification head. */
    public static final String SCORE = "score.weight";
    /** Sequence-classification class -> the causal LM of the same decoder. */
    private static final Map<String, Architecture> CLASSIFIERS = Map.of(
            "LlamaForSequenceClassification", Architecture.LLAMA,
            "MistralForSequenceClassification", Architecture.MISTRAL,
            "Qwen2ForSequenceClassification", Architecture.QWEN2);

    public static RewardModelConfig read(Path modelDir) throws IOException {
        return fromJson(ModelConfig.configJson(modelDir, "reward model"), modelDir.resolve("config.json").toString());
    }

    public static RewardModelConfig fromJson(ObjectNode json, String origin) throws IOException {
        JsonNode archs = json.get("architectures");
        String name = archs != null && archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
        Architecture family = name == null ? null : CLASSIFIERS.get(name);
        if (family == null) {
            throw new IOException(origin + ": architectures is " + (name == null ? "missing" : "[\"" + name + "\"]")
                    + ", but a reward model must be a sequence classifier: one of " + String.join(", ",
                    CLASSIFIERS.keySet().stream().sorted().toList()) + " (a causal LM cannot score replies)");
        }
        int labels = numLabels(json, origin);
        if (labels != 1) {
            throw new IOException(origin + ": num_labels is " + labels + ", but a reward model gives one score per "
                    + "reply (num_labels 1, or id2label with one entry); a classifier over " + labels + " labels is "
                    + "not a reward model");
        }
        // The decoder is the causal LM's decoder: validate it with the same rules, under the causal class name.
        ObjectNode decoderJson = json.deepCopy();
        decoderJson.putArray("architectures").add(family.className());
        ModelConfig decoder = ModelConfig.fromJson(decoderJson, origin);
        JsonNode pad = json.get("pad_token_id");
        OptionalInt padId;
        if (pad == null || pad.isNull()) {
            padId = OptionalInt.empty();
        } else if (!pad.canConvertToInt() || pad.asInt() < 0 || pad.asInt() >= decoder.vocabSize()) {
            throw new IOException(origin + ": pad_token_id must be null or a token id below vocab_size ("
                    + decoder.vocabSize() + "), found " + pad);
        } else {
            padId = OptionalInt.of(pad.asInt());
        }
        return new RewardModelConfig(name, decoder, padId);
    }

    /**
     * transformers writes {@code id2label} rather than {@code num_labels}; without either a config has its default,
     * two labels.
     */
    private static int numLabels(ObjectNode json, String origin) throws IOException {
        JsonNode n = json.get("num_labels");
        JsonNode id2label = json.get("id2label");
        if (n != null && !n.isNull()) {
            if (!n.canConvertToInt() || n.asInt() < 1) {
                throw new IOException(origin + ": num_labels must be a positive integer, found " + n);
            }
            if (id2label != null && id2label.isObject() && id2label.size() != n.asInt()) {
                throw new IOException(origin + ": num_labels is " + n.asInt() + " but id2label has "
                        + id2label.size() + " entries; they must agree");
            }
            return n.asInt();
        }
        if (id2label != null && id2label.isObject()) {
            return id2label.size();
        }
        throw new IOException(origin + ": neither num_labels nor id2label is set, so transformers would build a "
                + "2-label classifier; a reward model needs num_labels 1");
    }

    /** The score head's shape: [num_labels = 1, hidden_size]. */
    public long[] scoreShape() {
        return new long[] {1, decoder.hiddenSize()};
    }
}
