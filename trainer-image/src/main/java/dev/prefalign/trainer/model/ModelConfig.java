package dev.prefalign.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The architecture hyper-parameters of a Hugging Face {@code config.json}, validated. The original JSON is kept so that
 * the exported model carries every key transformers and vLLM expect, not only the ones we read.
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        Optional<RopeScaling> ropeScaling,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        int maxPositionEmbeddings,
        ObjectNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ModelConfig read(Path modelDir) throws IOException {
        return fromJson(configJson(modelDir, "model"), modelDir.resolve("config.json").toString());
    }

    /**
     * A model folder's {@code config.json} as a JSON object.
     *
     * @param kind what the folder holds ("model", "reward model"), for the message when there is no config.json
     */
    public static ObjectNode configJson(Path modelDir, String kind) throws IOException {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no config.json in " + kind + " folder " + modelDir);
        }
        JsonNode node = JSON.readTree(file.toFile());
        if (!(node instanceof ObjectNode object)) {
            throw new IOException(file + ": expected a JSON object");
        }
        return object;
    }

    public static ModelConfig fromJson(ObjectNode json, String origin) throws IOException {
        ConfigFields f = new ConfigFields(json, origin);
        Architecture arch = architectureOf(json, origin);
        String act = f.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new IOException(origin + ": hidden_act '" + act + "' is not supported (only silu, as Llama and Qwen2 use)");
        }
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = f.optionalInt("num_key_value_heads").orElse(heads);
        if (heads % kvHeads != 0) {
            throw new IOException(origin + ": num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads ("
                    + kvHeads + ")");
        }
        int headDim = f.optionalInt("head_dim").orElse(hidden / heads);
        if (headDim % 2 != 0) {
            throw new IOException(origin + ": head_dim " + headDim + " must be even for rotary embeddings");
        }
        rejectSlidingWindow(json, origin);
        boolean qkvBias = arch.qkvBias() || (json.has("attention_bias") && json.get("attention_bias").asBoolean());
        if (json.has("mlp_bias") && json.get("mlp_bias").asBoolean()) {
            throw new IOException(origin + ": mlp_bias true is not supported");
        }
        return new ModelConfig(arch,
                f.positiveInt("vocab_size"),
                hidden,
                f.positiveInt("intermediate_size"),
                f.positiveInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                f.optionalDouble("rms_norm_eps").orElse(1e-6),
                f.optionalDouble("rope_theta").orElse(10000.0),
                RopeScaling.fromConfig(json.get("rope_scaling"), origin),
                json.has("tie_word_embeddings") ? json.get("tie_word_embeddings").asBoolean() : false,
                qkvBias,
                f.optionalInt("max_position_embeddings").orElse(2048),
                json.deepCopy());
    }

    private static Architecture architectureOf(ObjectNode json, String origin) throws IOException {
        JsonNode archs = json.get("architectures");
        if (archs != null && archs.isArray() && archs.size() > 0) {
            String name = archs.get(0).asText();
            return Architecture.fromClassName(name).orElseThrow(() -> new IOException(origin + ": architecture '" + name
                    + "' is not supported; supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM"));
        }
        String type = json.path("model_type").asText("");
        return Architecture.fromModelType(type).orElseThrow(() -> new IOException(origin + ": model_type '" + type
                + "' is not supported; supported: llama, mistral, qwen2"));
    }

    /** Sliding-window attention changes the maths; a window is only harmless when it is switched off. */
    private static void rejectSlidingWindow(ObjectNode json, String origin) throws IOException {
        JsonNode window = json.get("sliding_window");
        boolean windowSet = window != null && !window.isNull();
        boolean enabled = !json.has("use_sliding_window") || json.get("use_sliding_window").asBoolean();
        if (windowSet && enabled && json.path("model_type").asText().equals("mistral")) {
            throw new IOException(origin + ": sliding_window attention (" + window.asText()
                    + ") is not supported; only Mistral models without a sliding window can be trained");
        }
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Parameters counted as transformers counts them (tied embeddings once). */
    public long parameterCount() {
        long h = hiddenSize;
        long attn = h * numHeads * (long) headDim * 2 + h * numKvHeads * (long) headDim * 2;
        if (qkvBias) {
            attn += (long) (numHeads + 2 * numKvHeads) * headDim;
        }
        long mlp = 3L * h * intermediateSize;
        long layer = attn + mlp + 2 * h;
        long embed = (long) vocabSize * h;
        return embed * (tieWordEmbeddings ? 1 : 2) + layer * numLayers + h;
    }

    /** A small reader of typed fields that names the file and the key in every error. */
    private record ConfigFields(ObjectNode json, String origin) {
        int positiveInt(String key) throws IOException {
            JsonNode n = json.get(key);
            if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
                throw new IOException(origin + ": '" + key + "' must be a positive integer, found " + n);
            }
            return n.asInt();
        }

        Optional<Integer> optionalInt(String key) throws IOException {
            JsonNode n = json.get(key);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            return Optional.of(positiveInt(key));
        }

        Optional<Double> optionalDouble(String key) throws IOException {
            JsonNode n = json.get(key);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (!n.isNumber()) {
                throw new IOException(origin + ": '" + key + "' must be a number, found " + n);
            }
            return Optional.of(n.asDouble());
        }

        String text(String key, String fallback) {
            JsonNode n = json.get(key);
            return n == null || n.isNull() ? fallback : n.asText();
        }
    }
}
