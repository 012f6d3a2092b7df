package dev.prefalign.trainer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.model.Architecture;
import dev.prefalign.trainer.model.ModelConfig;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;

/**
 * Writes a small, randomly initialised model folder in Hugging Face layout (config.json, model.safetensors, a WordLevel
 * tokenizer.json and a tokenizer_config.json with a ChatML template), so that the demo and the tests exercise exactly
 * the code paths real models take, with no download. Llama by default; Qwen2 and Mistral on request, so that a test
 * can stand in for a real model of that family.
 */
public final class TinyModelFactory {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<unk>", "<|im_start|>", "<|im_end|>");
    static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** Architecture sizes of the model to write. */
    public record Shape(int hidden, int intermediate, int layers, int heads, int kvHeads, boolean tied) {
        public static Shape demo() {
            return new Shape(64, 172, 2, 4, 2, true);
        }
    }

    private TinyModelFactory() {
    }

    public static Path write(Path dir, Collection<String> words, Shape shape, long seed) throws IOException {
        return write(dir, words, shape, seed, Architecture.LLAMA);
    }

    public static Path write(Path dir, Collection<String> words, Shape shape, long seed, Architecture architecture)
            throws IOException {
        Files.createDirectories(dir);
        List<String> vocab = new ArrayList<>(SPECIAL_TOKENS);
        for (String w : words) {
            if (!vocab.contains(w)) {
                vocab.add(w);
            }
        }
        writeTokenizer(dir, vocab);
        ObjectNode config = configJson(vocab.size(), shape, architecture);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        ModelConfig parsed = ModelConfig.fromJson(config, dir.resolve("config.json").toString());
        ModelWeights.save(dir, randomWeights(parsed, seed), DType.F32, Long.MAX_VALUE);
        return dir;
    }

    public static ObjectNode configJson(int vocabSize, Shape s) {
        return configJson(vocabSize, s, Architecture.LLAMA);
    }

    /** The keys the family's own config.json carries (Qwen2: q/k/v biases implied, sliding window switched off). */
    public static ObjectNode configJson(int vocabSize, Shape s, Architecture architecture) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(architecture.className());
        c.put("model_type", architecture.modelType());
        c.put("hidden_act", "silu");
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.intermediate());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("max_position_embeddings", 512);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("tie_word_embeddings", s.tied());
        c.put("initializer_range", 0.02);
        switch (architecture) {
            case LLAMA -> {
                c.put("attention_bias", false);
                c.put("mlp_bias", false);
            }
            case MISTRAL -> c.putNull("sliding_window");
            case QWEN2 -> {
                c.put("use_sliding_window", false);
                c.put("sliding_window", 512);
                c.put("max_window_layers", s.layers());
            }
        }
        c.put("bos_token_id", SPECIAL_TOKENS.indexOf("<|im_start|>"));
        c.put("eos_token_id", SPECIAL_TOKENS.indexOf("<|im_end|>"));
        c.put("pad_token_id", SPECIAL_TOKENS.indexOf("<pad>"));
        c.put("torch_dtype", "float32");
        return c;
    }

    /** transformers' Llama initialisation: normal(0, 0.02) for matrices, ones for norms. */
    public static List<TensorData> randomWeights(ModelConfig c, long seed) {
        Random random = new Random(seed);
        List<TensorData> tensors = new ArrayList<>();
        for (String name : TensorNames.all(c)) {
            long[] shape = TensorNames.shape(c, name);
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            float[] values = new float[n];
            boolean norm = name.endsWith("norm.weight");
            for (int i = 0; i < n; i++) {
                values[i] = norm ? 1f : (float) (random.nextGaussian() * 0.02);
            }
            tensors.add(new TensorData(name, shape, values));
        }
        return tensors;
    }

    private static void writeTokenizer(Path dir, List<String> vocab) throws IOException {
        ObjectNode tok = JSON.createObjectNode();
        tok.put("version", "1.0");
        tok.putNull("truncation");
        tok.putNull("padding");
        ArrayNode added = tok.putArray("added_tokens");
        for (String special : SPECIAL_TOKENS) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.indexOf(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        tok.putNull("normalizer");
        tok.putObject("pre_tokenizer").put("type", "Whitespace");
        tok.putNull("post_processor");
        tok.putNull("decoder");
        ObjectNode model = tok.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        model.put("unk_token", "<unk>");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer.json").toFile(), tok);

        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("bos_token", "<|im_start|>");
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<pad>");
        cfg.put("unk_token", "<unk>");
        cfg.put("chat_template", CHATML);
        cfg.put("model_max_length", 512);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
    }
}
