package dev.prefalign.trainer.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {

    @TempDir
    Path dir;

    /** 16 + 24 + 8 + 64 + 12 = 124 float32 bytes; the 64-byte tensor is larger than a 40-byte shard on its own. */
    private static List<TensorData> tensors() {
        return List.of(
                tensor("model.embed_tokens.weight", 2, 2),
                tensor("model.layers.0.self_attn.q_proj.weight", 2, 3),
                tensor("model.layers.0.self_attn.q_proj.bias", 2),
                tensor("model.layers.0.mlp.up_proj.weight", 4, 4),
                tensor("model.norm.weight", 3));
    }

    private static TensorData tensor(String name, int... dims) {
        long[] shape = new long[dims.length];
        int count = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            count *= dims[i];
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = name.length() + i * 0.25f;
        }
        return new TensorData(name, shape, values);
    }

    @Test
    void smallModelIsSavedAsOneFileWithPtMetadata() throws IOException {
        Path model = dir.resolve("model");
        ModelWeights.save(model, tensors(), DType.F32, 124);

        assertThat(fileNames(model)).containsExactly("model.safetensors");
        try (SafetensorsReader reader = SafetensorsReader.open(model.resolve("model.safetensors"))) {
            assertThat(reader.metadata()).isEqualTo(Map.of("format", "pt"));
        }
        try (ModelWeights weights = ModelWeights.open(model)) {
            assertThat(weights.names()).containsExactlyElementsOf(tensors().stream().map(TensorData::name).toList());
            for (TensorData expected : tensors()) {
                assertThat(weights.read(expected.name())).isEqualTo(expected);
                assertThat(weights.shape(expected.name())).containsExactly(expected.shape());
                assertThat(weights.dtype(expected.name())).isEqualTo(DType.F32);
            }
        }
    }

    @Test
    void largeModelIsShardedWithAnIndexLikeTransformers() throws IOException {
        Path model = dir.resolve("model");
        ModelWeights.save(model, tensors(), DType.F32, 40);

        // [16 + 24], [8], [64 alone: too big for any shard], [12]
        assertThat(fileNames(model)).containsExactly(
                "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
                "model.safetensors.index.json");
        JsonNode index = new ObjectMapper().readTree(model.resolve("model.safetensors.index.json").toFile());
        assertThat(index.at("/metadata/total_size").asLong()).isEqualTo(124);
        assertThat(index.at("/weight_map/model.embed_tokens.weight").asText())
                .isEqualTo("model-00001-of-00004.safetensors");
        assertThat(index.at("/weight_map/model.layers.0.self_attn.q_proj.weight").asText())
                .isEqualTo("model-00001-of-00004.safetensors");
        assertThat(index.at("/weight_map/model.layers.0.self_attn.q_proj.bias").asText())
                .isEqualTo("model-00002-of-00004.safetensors");
        assertThat(index.at("/weight_map/model.layers.0.mlp.up_proj.weight").asText())
                .isEqualTo("model-00003-of-00004.safetensors");
        assertThat(index.at("/weight_map/model.norm.weight").asText())
                .isEqualTo("model-00004-of-00004.safetensors");
        List<String> keys = new ArrayList<>();
        index.get("weight_map").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();
        try (SafetensorsReader shard = SafetensorsReader.open(model.resolve("model-00002-of-00004.safetensors"))) {
            assertThat(shard.metadata()).isEqualTo(Map.of("format", "pt"));
        }

        try (ModelWeights weights = ModelWeights.open(model)) {
            assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(
                    tensors().stream().map(TensorData::name).toList());
            for (TensorData expected : tensors()) {
                assertThat(weights.read(expected.name())).isEqualTo(expected);
            }
        }
    }

    @Test
    void shardedBf16RoundTripGivesRoundedValues() throws IOException {
        Path model = dir.resolve("bf16");
        ModelWeights.save(model, tensors(), DType.BF16, 20);

        try (ModelWeights weights = ModelWeights.open(model)) {
            for (TensorData original : tensors()) {
                assertThat(weights.dtype(original.name())).isEqualTo(DType.BF16);
                float[] expected = original.values().clone();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = Float16.bf16ToFloat(Float16.floatToBf16(expected[i]));
                }
                assertThat(weights.read(original.name()).values()).containsExactly(expected);
            }
        }
        // bf16 sizes 8, 12, 4, 32, 6 bytes into 20-byte shards: [8 + 12], [4], [32 alone], [6]
        assertThat(fileNames(model)).hasSize(5).contains("model-00004-of-00004.safetensors");
    }

    @Test
    void savingInTheOtherLayoutRemovesTheOldWeightFiles() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{}");
        ModelWeights.save(model, tensors(), DType.F32, 40);
        ModelWeights.save(model, tensors(), DType.F32, 1 << 20);
        assertThat(fileNames(model)).containsExactly("config.json", "model.safetensors");

        ModelWeights.save(model, tensors(), DType.F32, 40);
        assertThat(fileNames(model)).hasSize(6).contains("config.json", "model.safetensors.index.json")
                .doesNotContain("model.safetensors");

        ModelWeights.save(model, tensors().subList(0, 3), DType.F32, 40);
        assertThat(fileNames(model)).containsExactly("config.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors", "model.safetensors.index.json");
    }

    @Test
    void folderWithoutWeightsNamesTheFolderAndBothFiles() throws IOException {
        Path model = Files.createDirectories(dir.resolve("empty-model"));

        assertThatThrownBy(() -> ModelWeights.open(model))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("empty-model", "model.safetensors", "model.safetensors.index.json");
        assertThatThrownBy(() -> ModelWeights.open(dir.resolve("absent")))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("absent", "no such directory");
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Path model = dir.resolve("model");
        ModelWeights.save(model, tensors(), DType.F32, 40);
        Files.delete(model.resolve("model-00003-of-00004.safetensors"));

        assertThatThrownBy(() -> ModelWeights.open(model))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("model.safetensors.index.json", "model.layers.0.mlp.up_proj.weight",
                        "model-00003-of-00004.safetensors is missing", model.toString());
    }

    @Test
    void tensorListedInTheIndexButAbsentFromItsShardIsNamed() throws IOException {
        Path model = dir.resolve("model");
        ModelWeights.save(model, tensors(), DType.F32, 40);
        Path index = model.resolve("model.safetensors.index.json");
        Files.writeString(index, Files.readString(index).replace("\"model.norm.weight\"", "\"model.norm.bias\""));

        assertThatThrownBy(() -> ModelWeights.open(model))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("'model.norm.bias'", "not present in its shard",
                        "model-00004-of-00004.safetensors");
    }

    @Test
    void badIndexesAreRejected() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Path index = model.resolve("model.safetensors.index.json");

        Files.writeString(index, "{\"weight_map\": ");
        assertThatThrownBy(() -> ModelWeights.open(model))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("model.safetensors.index.json", "not valid JSON");

        Files.writeString(index, "{\"metadata\": {}}");
        assertThatThrownBy(() -> ModelWeights.open(model))
                .hasMessageContainingAll("model.safetensors.index.json", "needs a \"weight_map\" object");

        Files.writeString(index, "{\"weight_map\": {\"w\": \"../outside.safetensors\"}}");
        assertThatThrownBy(() -> ModelWeights.open(model))
                .hasMessageContainingAll("'w'", "../outside.safetensors", "not a file name inside");
    }

    @Test
    void readingAnUnknownTensorNamesTensorAndFile() throws IOException {
        Path model = dir.resolve("model");
        ModelWeights.save(model, tensors(), DType.F32, 1 << 20);

        try (ModelWeights weights = ModelWeights.open(model)) {
            assertThatThrownBy(() -> weights.read("lm_head.weight"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContainingAll("'lm_head.weight'", model.resolve("model.safetensors").toString());
            assertThatThrownBy(() -> weights.shape("lm_head.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'lm_head.weight'");
        }
    }

    @Test
    void saveRejectsDuplicateNamesAndNonPositiveShardSizes() {
        Path model = dir.resolve("model");
        List<TensorData> twice = List.of(tensor("w", 1), tensor("w", 1));

        assertThatThrownBy(() -> ModelWeights.save(model, twice, DType.F32, 40))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("'w'", "appears twice");
        assertThatThrownBy(() -> ModelWeights.save(model, tensors(), DType.F32, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxShardBytes");
    }

    private static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
