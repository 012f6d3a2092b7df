package dev.prefalign.trainer.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Hugging Face model folder's weights: {@code model.safetensors}, or sharded
 * {@code model-0000x-of-0000y.safetensors} files with {@code model.safetensors.index.json}
 * ({@code {"metadata": {"total_size": n}, "weight_map": {tensor: file}}}).
 */
public final class ModelWeights implements Closeable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** What transformers writes into every weights file; its loader checks for "pt". */
    static final Map<String, String> METADATA = Map.of("format", "pt");

    private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private final Path modelDir;
    /** The file that says where tensors are: model.safetensors or the index; named in errors. */
    private final Path source;
    private final Map<String, SafetensorsReader> readerByTensor;
    private final List<SafetensorsReader> readers;

    private ModelWeights(Path modelDir, Path source, Map<String, SafetensorsReader> readerByTensor,
            List<SafetensorsReader> readers) {
        this.modelDir = modelDir;
        this.source = source;
        this.readerByTensor = Collections.unmodifiableMap(readerByTensor);
        this.readers = List.copyOf(readers);
    }

    /** Opens the weights in {@code modelDir}; a single file wins over an index, as in transformers. */
    public static ModelWeights open(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            throw new SafetensorsException(modelDir, null, "is not a model folder (no such directory)");
        }
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            SafetensorsReader reader = SafetensorsReader.open(single);
            Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
            reader.names().forEach(name -> byTensor.put(name, reader));
            return new ModelWeights(modelDir, single, byTensor, List.of(reader));
        }
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            return openSharded(modelDir, index);
        }
        throw new SafetensorsException(modelDir, null, "has neither " + SINGLE_FILE + " nor " + INDEX_FILE
                + "; a Hugging Face model folder needs one of them (save the model with safe_serialization=True)");
    }

    private static ModelWeights openSharded(Path modelDir, Path index) throws IOException {
        ShardIndex shardIndex = ShardIndex.read(index);
        Map<String, SafetensorsReader> readerByFile = new LinkedHashMap<>();
        Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> entry : shardIndex.weightMap().entrySet()) {
                String tensor = entry.getKey();
                String fileName = entry.getValue();
                SafetensorsReader reader = readerByFile.get(fileName);
                if (reader == null) {
                    Path shard = shardPath(modelDir, index, tensor, fileName);
                    if (!Files.exists(shard)) {
                        throw new SafetensorsException(index, tensor, "its shard " + fileName + " is missing from "
                                + modelDir + "; download the complete model");
                    }
                    reader = SafetensorsReader.open(shard);
                    readerByFile.put(fileName, reader);
                }
                if (!reader.contains(tensor)) {
                    throw new SafetensorsException(index, tensor, "is listed in the index but not present in its "
                            + "shard " + reader.file() + "; the index and shards are from different saves");
                }
                byTensor.put(tensor, reader);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(readerByFile.values(), e);
            throw e;
        }
        return new ModelWeights(modelDir, index, byTensor, new ArrayList<>(readerByFile.values()));
    }

    /** A shard name from the index must be a file in the model folder, never a path leading out of it. */
    private static Path shardPath(Path modelDir, Path index, String tensor, String fileName)
            throws SafetensorsException {
        Path shard = modelDir.resolve(fileName).normalize();
        if (fileName.isEmpty() || !Objects.equals(shard.getParent(), modelDir.normalize())) {
            throw new SafetensorsException(index, tensor, "shard '" + fileName + "' is not a file name inside "
                    + modelDir);
        }
        return shard;
    }

    /** The model folder. */
    public Path modelDir() {
        return modelDir;
    }

    /** All tensor names: the single file's in header order, or the index's in its order. */
    public Set<String> names() {
        return readerByTensor.keySet();
    }

    public long[] shape(String name) {
        return reader(name).shape(name);
    }

    /** The tensor's element type; throws as {@link SafetensorsReader#dtype} does for other types. */
    public DType dtype(String name) {
        return reader(name).dtype(name);
    }

    public TensorData read(String name) throws IOException {
        SafetensorsReader reader = readerByTensor.get(name);
        if (reader == null) {
            throw new SafetensorsException(source, name, "no such tensor in this model (it has " + names().size()
                    + " tensors); check the model architecture matches the checkpoint");
        }
        return reader.read(name);
    }

    /**
     * Saves tensors as transformers would: one {@code model.safetensors} when their total size (in {@code dtype})
     * is at most {@code maxShardBytes}, else numbered shards plus the index. Weight files left by an earlier save in
     * the other layout are removed so that the folder never describes two different models.
     */
    public static void save(Path modelDir, List<TensorData> tensors, DType dtype, long maxShardBytes)
            throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, not " + maxShardBytes);
        }
        Set<String> seen = new HashSet<>();
        long totalSize = 0;
        for (TensorData tensor : tensors) {
            if (!seen.add(tensor.name())) {
                throw new SafetensorsException(modelDir, tensor.name(), "appears twice in the list of tensors to "
                        + "save; each name must be unique");
            }
            totalSize += SafetensorsWriter.byteSize(tensor, dtype);
        }
        Files.createDirectories(modelDir);
        Path single = modelDir.resolve(SINGLE_FILE);
        Path index = modelDir.resolve(INDEX_FILE);
        if (totalSize <= maxShardBytes) {
            SafetensorsWriter.write(single, tensors, dtype, METADATA);
            Files.deleteIfExists(index);
            deleteStaleShards(modelDir, Set.of());
            return;
        }
        List<List<TensorData>> shards = ShardPlan.split(tensors, dtype, maxShardBytes);
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String fileName = ShardPlan.shardFileName(i, shards.size());
            SafetensorsWriter.write(modelDir.resolve(fileName), shards.get(i), dtype, METADATA);
            shards.get(i).forEach(tensor -> weightMap.put(tensor.name(), fileName));
        }
        // A single file would take precedence over the new index, so it goes first; a crash in between leaves a
        // folder that fails to open rather than one that silently loads the old weights.
        Files.deleteIfExists(single);
        new ShardIndex(totalSize, weightMap).write(index);
        deleteStaleShards(modelDir, new HashSet<>(weightMap.values()));
    }

    private static void deleteStaleShards(Path modelDir, Set<String> keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir,
                path -> SHARD_NAME.matcher(path.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                if (!keep.contains(entry.getFileName().toString())) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsReader reader : readers) {
            try {
                reader.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private SafetensorsReader reader(String name) {
        SafetensorsReader reader = readerByTensor.get(name);
        if (reader == null) {
            throw new IllegalArgumentException(source + ": no tensor '" + name + "' in this model; names() lists "
                    + "the " + names().size() + " it has");
        }
        return reader;
    }

    private static void closeAll(Iterable<SafetensorsReader> readers, Exception failure) {
        for (SafetensorsReader reader : readers) {
            try {
                reader.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
