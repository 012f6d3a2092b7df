package dev.prefalign.trainer.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Writes float32 tensors to a safetensors file in one element type, atomically. */
public final class SafetensorsWriter {

    /** The format pads the header so that the data section, and so every F32 tensor, starts 8-byte aligned. */
    private static final int HEADER_ALIGNMENT = 8;

    private static final int CHUNK_BYTES = 8 * 1024 * 1024;

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} in the given order, each converted to {@code dtype}.
     *
     * @param metadata the header's {@code __metadata__}, omitted when null or empty
     */
    public static void write(Path file, List<TensorData> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(dtype, "dtype");
        byte[] header = header(file, tensors, dtype, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            length.putLong(header.length).flip();
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int elementsPerChunk = CHUNK_BYTES / dtype.byteSize();
            for (TensorData tensor : tensors) {
                float[] values = tensor.values();
                for (int done = 0; done < values.length; ) {
                    int count = Math.min(elementsPerChunk, values.length - done);
                    chunk.clear();
                    dtype.encode(values, done, count, chunk);
                    writeFully(channel, chunk.flip());
                    done += count;
                }
            }
        });
    }

    /** Bytes of one tensor in {@code dtype}. */
    static long byteSize(TensorData tensor, DType dtype) {
        return (long) tensor.values().length * dtype.byteSize();
    }

    private static byte[] header(Path file, List<TensorData> tensors, DType dtype, Map<String, String> metadata)
            throws SafetensorsException {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach((key, value) -> meta.put(key, Objects.requireNonNull(value, "metadata value")));
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (TensorData tensor : tensors) {
            String name = tensor.name();
            if (name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new SafetensorsException(file, name, "this name is reserved for the header's metadata; "
                        + "rename the tensor");
            }
            if (!seen.add(name)) {
                throw new SafetensorsException(file, name, "appears twice in the list of tensors to write; "
                        + "each name must be unique");
            }
            long end = offset + byteSize(tensor, dtype);
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", dtype.headerName());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, null, "cannot encode the header: " + e.getOriginalMessage(), e);
        }
        int padded = (json.length + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
