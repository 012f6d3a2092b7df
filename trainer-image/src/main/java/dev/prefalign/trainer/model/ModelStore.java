package dev.prefalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Loads and saves models in Hugging Face layout ({@code config.json} + safetensors, sharded or not). Weights are held as
 * float32 in memory whatever their dtype on disk (DJL cannot hold BF16), and written back in the dtype they came in.
 */
public final class ModelStore {
    private static final Logger LOG = Logger.getLogger(ModelStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** transformers' default shard size. */
    public static final long MAX_SHARD_BYTES = 5L * 1000 * 1000 * 1000;

    private ModelStore() {
    }

    /** Reads a model folder onto a new sub-manager of {@code parent} (on the parent's device). */
    public static CausalLm load(Path dir, NDManager parent) throws IOException {
        ModelConfig config = ModelConfig.read(dir);
        Map<String, long[]> wanted = tensors(config, true);
        NDManager manager = parent.newSubManager();
        return new CausalLm(config, manager, read(dir, wanted, manager, config.tieWordEmbeddings()));
    }

    /**
     * Reads the decoder of a model whose head is not a language-model head (a sequence classifier's {@code score}):
     * the {@code model.*} tensors (embeddings, layers, final norm) and the head's tensors, with no
     * {@code lm_head.weight}. The returned model's {@link CausalLm#hiddenStates} work; its {@link CausalLm#logits} do
     * not, and its parameters also hold the head's tensors under their own names. {@link #load} still requires the
     * LM head of an untied causal LM.
     *
     * @param config the decoder's configuration (the caller checked the head-specific fields)
     * @param head   the head's tensor names and the shapes they must have
     */
    public static CausalLm loadDecoder(Path dir, ModelConfig config, Map<String, long[]> head, NDManager parent)
            throws IOException {
        Map<String, long[]> wanted = tensors(config, false);
        wanted.putAll(head);
        NDManager manager = parent.newSubManager();
        return new CausalLm(config, manager, read(dir, wanted, manager, true));
    }

    /** The tensors the config implies, with their shapes; without {@code lm_head.weight} when asked. */
    private static Map<String, long[]> tensors(ModelConfig config, boolean withLmHead) {
        Map<String, long[]> wanted = new LinkedHashMap<>();
        for (String name : TensorNames.all(config)) {
            if (withLmHead || !name.equals(TensorNames.LM_HEAD)) {
                wanted.put(name, TensorNames.shape(config, name));
            }
        }
        return wanted;
    }

    /** Reads the wanted tensors, checking presence and shape; the manager is closed when that fails. */
    private static Map<String, NDArray> read(Path dir, Map<String, long[]> wanted, NDManager manager,
            boolean lmHeadOptional) throws IOException {
        Map<String, NDArray> params = new LinkedHashMap<>();
        try (ModelWeights weights = ModelWeights.open(dir)) {
            for (Map.Entry<String, long[]> e : wanted.entrySet()) {
                String name = e.getKey();
                if (!weights.names().contains(name)) {
                    throw new IOException(dir + ": tensor " + name + " is missing from the safetensors files"
                            + (name.equals(TensorNames.LM_HEAD) ? " (config says tie_word_embeddings: false)" : ""));
                }
                long[] expected = e.getValue();
                long[] actual = weights.shape(name);
                if (!Arrays.equals(expected, actual)) {
                    throw new IOException(dir + ": tensor " + name + " has shape " + Arrays.toString(actual)
                            + " but config.json implies " + Arrays.toString(expected));
                }
                TensorData data = weights.read(name);
                params.put(name, manager.create(data.values(), new Shape(actual)));
            }
            Set<String> ignored = new TreeSet<>(weights.names());
            ignored.removeAll(params.keySet());
            if (lmHeadOptional) {
                ignored.remove(TensorNames.LM_HEAD); // a tied checkpoint may still carry a copy
            }
            if (!ignored.isEmpty()) {
                LOG.warning(dir + ": ignoring tensors the architecture does not use: " + ignored);
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        return params;
    }

    /** The dtype the checkpoint was stored in ({@code torch_dtype}), so an export keeps the user's precision. */
    public static DType storedDType(ModelConfig config) {
        String dtype = config.json().path("torch_dtype").asText("float32");
        return switch (dtype) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> DType.F32;
        };
    }

    /** Writes config.json and the weights (no tokenizer files: the exporter copies those). */
    public static void save(CausalLm model, Path dir, DType dtype) throws IOException {
        Files.createDirectories(dir);
        List<TensorData> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray p = e.getValue();
            float[] values = p.getDataType() == DataType.FLOAT32 ? p.toFloatArray() : toFloat32(p);
            tensors.add(new TensorData(e.getKey(), p.getShape().getShape(), values));
        }
        ModelWeights.save(dir, tensors, dtype, MAX_SHARD_BYTES);
        ObjectNode json = model.config().json().deepCopy();
        json.put("torch_dtype", switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F32 -> "float32";
        });
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), json);
    }

    private static float[] toFloat32(NDArray p) {
        try (NDArray f = p.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
