package dev.prefalign.trainer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.safetensors.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One case of the golden files written by {@code src/test/python/make_golden.py} (an independent PyTorch
 * implementation): model folders, a DPO batch, and expected scalars and tensors.
 */
public record GoldenCase(Path dir, SequenceBatch batch, JsonNode scalars, Map<String, float[]> tensors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path root() {
        return Path.of("src/test/resources/golden").toAbsolutePath();
    }

    public static GoldenCase load(String name) {
        Path dir = root().resolve(name);
        try {
            JsonNode b = JSON.readTree(dir.resolve("batch.json").toFile());
            int rows = b.get("input_ids").size();
            int[][] ids = new int[rows][];
            int[] prompt = new int[rows];
            int[] lengths = new int[rows];
            for (int i = 0; i < rows; i++) {
                JsonNode row = b.get("input_ids").get(i);
                ids[i] = new int[row.size()];
                for (int j = 0; j < row.size(); j++) {
                    ids[i][j] = row.get(j).asInt();
                }
                prompt[i] = b.get("prompt_lengths").get(i).asInt();
                lengths[i] = b.get("lengths").get(i).asInt();
            }
            Map<String, float[]> tensors = new HashMap<>();
            try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("expected.safetensors"))) {
                for (String n : r.names()) {
                    tensors.put(n, r.readFloats(n));
                }
            }
            return new GoldenCase(dir, new SequenceBatch(ids, prompt, lengths, 0),
                    JSON.readTree(dir.resolve("expected.json").toFile()), tensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public double scalar(String key) {
        JsonNode n = scalars.get(key);
        if (n == null) {
            throw new IllegalArgumentException("golden " + dir + " has no scalar " + key);
        }
        return n.asDouble();
    }

    public float[] tensor(String key) {
        float[] t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("golden " + dir + " has no tensor " + key);
        }
        return t;
    }
}
