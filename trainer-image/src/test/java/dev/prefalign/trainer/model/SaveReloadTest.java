package dev.prefalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.job.ModelExport;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.Float16;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the trainer writes reloads as what it had in memory: exactly in F32, rounded to nearest even in BF16/F16. */
class SaveReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] TOKENS = {4, 9, 17, 5, 22, 30, 8, 6};

    @TempDir
    Path root;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A tiny model whose config.json also carries keys the trainer does not read, and a given torch_dtype. */
    private Path baseModel(String torchDtype) throws IOException {
        Path dir = TinyJob.model(root.resolve("base"), 6);
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        config.put("torch_dtype", torchDtype);
        config.put("custom_note", "kept through export");
        config.putObject("quantization_hint").put("bits", 4).put("group_size", 64);
        config.put("use_cache", true);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private float[] logits(CausalLm model) {
        try (NDScope scope = new NDScope()) {
            return model.forward(manager.create(TOKENS, new Shape(1, TOKENS.length))).toFloatArray();
        }
    }

    @Test
    void float32SaveReloadsToIdenticalWeightsAndLogits() throws IOException {
        try (CausalLm model = ModelStore.load(baseModel("float32"), manager)) {
            Path saved = root.resolve("saved");
            ModelStore.save(model, saved, DType.F32);
            try (CausalLm reloaded = ModelStore.load(saved, manager)) {
                assertThat(logits(reloaded)).containsExactly(logits(model));
                model.parameters().forEach((name, p) -> assertThat(reloaded.parameters().get(name).toFloatArray())
                        .as(name).containsExactly(p.toFloatArray()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bfloat16, BF16", "float16, F16"})
    void halfPrecisionExportRoundsToNearestEven(String torchDtype, DType dtype) throws IOException {
        Path base = baseModel(torchDtype);
        try (CausalLm model = ModelStore.load(base, manager)) {
            assertThat(ModelStore.storedDType(model.config())).isEqualTo(dtype);
            Path out = root.resolve("out");
            ModelExport.export(model, base, out);
            assertThat(JSON.readTree(out.resolve("config.json").toFile()).get("torch_dtype").asText())
                    .isEqualTo(torchDtype);
            int roundedUp = 0;
            try (ModelWeights stored = ModelWeights.open(out); CausalLm reloaded = ModelStore.load(out, manager)) {
                for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                    assertThat(stored.dtype(e.getKey())).as(e.getKey()).isEqualTo(dtype);
                    float[] original = e.getValue().toFloatArray();
                    float[] back = reloaded.parameters().get(e.getKey()).toFloatArray();
                    for (int i = 0; i < original.length; i++) {
                        float expected = dtype == DType.BF16
                                ? Float16.bf16ToFloat(Float16.floatToBf16(original[i]))
                                : Float16.halfToFloat(Float16.floatToHalf(original[i]));
                        assertThat(back[i]).as("%s[%d] from %s", e.getKey(), i, original[i]).isEqualTo(expected);
                        roundedUp += Math.abs(back[i]) > Math.abs(original[i]) ? 1 : 0;
                    }
                }
            }
            // Truncation would never increase a magnitude; rounding to nearest does about half of the time.
            assertThat(roundedUp).as("weights whose magnitude rounded up").isGreaterThan(100);
        }
    }

    @Test
    void shardedSaveReloadsIdentically() throws IOException {
        Path base = baseModel("float32");
        try (CausalLm model = ModelStore.load(base, manager)) {
            List<TensorData> tensors = new ArrayList<>();
            model.parameters().forEach((name, p) -> tensors.add(new TensorData(name, p.getShape().getShape(),
                    p.toFloatArray())));
            Path sharded = root.resolve("sharded");
            ModelWeights.save(sharded, tensors, DType.F32, 20_000); // ~79 kB of weights -> several shards
            Files.copy(base.resolve("config.json"), sharded.resolve("config.json"));

            assertThat(sharded.resolve(ModelWeights.INDEX_FILE)).exists();
            assertThat(sharded.resolve(ModelWeights.SINGLE_FILE)).doesNotExist();
            try (Stream<Path> files = Files.list(sharded)) {
                assertThat(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                        .count()).isGreaterThanOrEqualTo(4);
            }
            try (CausalLm reloaded = ModelStore.load(sharded, manager)) {
                assertThat(logits(reloaded)).containsExactly(logits(model));
            }
        }
    }

    @Test
    void exportedFolderIsACompleteHuggingFaceModel() throws IOException {
        Path base = baseModel("float32");
        Path out = root.resolve("out");
        try (CausalLm model = ModelStore.load(base, manager)) {
            ModelExport.export(model, base, out);
        }
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertThat(out.resolve(file)).as(file).exists();
            assertThat(Files.readAllBytes(out.resolve(file))).as(file).isEqualTo(Files.readAllBytes(base.resolve(file)));
        }
        JsonNode original = JSON.readTree(base.resolve("config.json").toFile());
        JsonNode exported = JSON.readTree(out.resolve("config.json").toFile());
        for (Iterator<String> keys = original.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            assertThat(exported.get(key)).as("config.json key %s", key).isEqualTo(original.get(key));
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(out); CausalLm reloaded = ModelStore.load(out, manager)) {
            assertThat(tokenizer.chatTemplate()).isPresent();
            assertThat(reloaded.config().vocabSize()).isEqualTo(tokenizer.vocabSize());
        }
    }
}
