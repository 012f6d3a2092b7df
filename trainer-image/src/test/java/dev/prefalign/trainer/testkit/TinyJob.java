package dev.prefalign.trainer.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.demo.TinyModelFactory;
import dev.prefalign.trainer.safetensors.ModelWeights;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny, fully offline jobs for behaviour tests: a 2-layer Llama with hidden size 32 written by
 * {@link TinyModelFactory}, standard-format preference pairs made of its vocabulary, and manifests that point at them
 * with relative paths (as users write them).
 */
public final class TinyJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hidden 32, intermediate 64, 2 layers, 4 heads, 2 kv heads (grouped-query attention is exercised), tied. */
    public static final TinyModelFactory.Shape SHAPE = new TinyModelFactory.Shape(32, 64, 2, 4, 2, true);

    /** Words the generated texts are made of. */
    public static final List<String> TEXT_WORDS = List.of("hello", "world", "the", "cat", "dog", "sat", "on", "mat",
            "a", "is", "good", "bad", "yes", "no", "please", "thanks", "?", "!", ".", "red", "blue", "tree", "runs",
            "fast", "slow", "big", "small", "sun");

    /** The vocabulary after the factory's four special tokens: the text words plus the chat roles. */
    public static final List<String> WORDS = concat(TEXT_WORDS, List.of("user", "assistant", "system"));

    private TinyJob() {
    }

    /** One standard-format row. */
    public record Pair(String prompt, String chosen, String rejected) {
    }

    public static Path model(Path dir, long seed) {
        try {
            return TinyModelFactory.write(dir, WORDS, SHAPE, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} pairs of varying lengths (so batches need padding), the same for the same seed. */
    public static List<Pair> pairs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Pair(words(random, 2 + random.nextInt(4)), words(random, 1 + random.nextInt(5)),
                    words(random, 1 + random.nextInt(5))));
        }
        return out;
    }

    /** {@code n} pairs whose prompts, chosen and rejected texts all have exactly the given word counts. */
    public static List<Pair> equalLengthPairs(int n, long seed, int promptWords, int completionWords) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Pair(words(random, promptWords), words(random, completionWords),
                    words(random, completionWords)));
        }
        return out;
    }

    private static String words(SplittableRandom random, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(TEXT_WORDS.get(random.nextInt(TEXT_WORDS.size())));
        }
        return sb.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** Writes pairs as a standard-format JSONL file. */
    public static Path writePairs(Path file, List<Pair> pairs) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Pair p : pairs) {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("prompt", p.prompt());
                    row.put("chosen", p.chosen());
                    row.put("rejected", p.rejected());
                    out.write(JSON.writeValueAsString(row));
                    out.newLine();
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a manifest. {@code model} and {@code data} are relative to the manifest's folder; {@code methodSection}
     * (e.g. {@code "dpo:\n  beta: 0.5\n"}) and {@code training} (lines under {@code training:}) are YAML at spec level.
     */
    public static Path manifest(Path file, String name, String method, String model, String data,
            String methodSection, String training) {
        String yaml = """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: %s
                spec:
                  method: %s
                  model:
                    source: %s
                  dataset:
                    source: %s
                %s%s""".formatted(name, method, model, data, indent(methodSection, 2),
                training.isBlank() ? "" : "  training:\n" + indent(training, 4));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String block, int spaces) {
        if (block.isBlank()) {
            return "";
        }
        String pad = " ".repeat(spaces);
        StringBuilder sb = new StringBuilder();
        for (String line : block.strip().split("\n")) {
            sb.append(pad).append(line).append('\n');
        }
        return sb.toString();
    }

    /** Every tensor of a model folder as float32 values, by name. */
    public static Map<String, float[]> weights(Path modelDir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (ModelWeights w = ModelWeights.open(modelDir)) {
            for (String name : w.names()) {
                out.put(name, w.read(name).values());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a metrics.jsonl file. */
    public static List<JsonNode> jsonLines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
