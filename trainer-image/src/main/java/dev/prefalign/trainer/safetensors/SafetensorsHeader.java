package dev.prefalign.trainer.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file: where every tensor lies and the free-form metadata.
 *
 * <p>Everything that can be checked without reading tensor data is checked here, when the file is opened, so that a
 * corrupt or truncated download fails at once with the file and tensor named, not halfway through loading a model.
 */
record SafetensorsHeader(Map<String, TensorEntry> tensors, Map<String, String> metadata, long dataStart) {

    static final String METADATA_KEY = "__metadata__";

    /** The reference implementation refuses larger headers too; it keeps a corrupt length from exhausting memory. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Bytes per element of every dtype the safetensors format defines, so that the sizes of tensors we cannot convert
     * (an I64 buffer, say) are still checked.
     */
    private static final Map<String, Integer> FORMAT_DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < Long.BYTES) {
            throw new SafetensorsException(file, null, "file is " + fileSize
                    + " bytes, too short to hold the 8-byte header length; it is truncated or not a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > fileSize - Long.BYTES) {
            throw new SafetensorsException(file, null, "header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the file (" + fileSize
                    + " bytes); the file is truncated or not a safetensors file");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsException(file, null, "header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes; the file is corrupt or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes, Long.BYTES);
        long dataStart = Long.BYTES + headerLength;
        return parse(file, headerBytes.array(), fileSize - dataStart, dataStart);
    }

    static SafetensorsHeader parse(Path file, byte[] json, long dataLength, long dataStart)
            throws SafetensorsException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, null, "header is not valid JSON: " + e.getOriginalMessage()
                    + " (at byte " + e.getLocation().getByteOffset() + " of the header)", e);
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "header cannot be parsed: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file, null, "header must be a JSON object of tensor entries");
        }
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                tensors.put(field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        checkNoOverlap(file, tensors.values());
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, null, METADATA_KEY + " must be a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new SafetensorsException(file, null, METADATA_KEY + " value for '" + field.getKey()
                        + "' must be a string, not " + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorEntry parseEntry(Path file, String name, JsonNode node, long dataLength)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, name, "header entry must be an object with dtype, shape and "
                    + "data_offsets, not " + node);
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsException(file, name, "header entry needs a string \"dtype\"");
        }
        String dtypeName = dtypeNode.textValue();
        long[] shape = nonNegativeLongs(file, name, node.get("shape"), "shape", -1);
        long[] offsets = nonNegativeLongs(file, name, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new SafetensorsException(file, name, "data_offsets " + Arrays.toString(offsets)
                    + " end before they begin");
        }
        if (end > dataLength) {
            throw new SafetensorsException(file, name, "data_offsets " + Arrays.toString(offsets)
                    + " are out of range: the data section has only " + dataLength
                    + " bytes (the file is truncated or its header is wrong)");
        }
        long count;
        try {
            count = TensorData.elementCount(name, shape);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file, name, "shape " + Arrays.toString(shape) + " is too large", e);
        }
        Integer elementBytes = FORMAT_DTYPE_BYTES.get(dtypeName);
        if (elementBytes != null) {
            // A product too large for a long cannot fit in the data section either, so saturate instead of throwing.
            long expected = count > Long.MAX_VALUE / elementBytes ? Long.MAX_VALUE : count * elementBytes;
            if (expected != end - begin) {
                throw new SafetensorsException(file, name, "shape " + Arrays.toString(shape) + " of " + dtypeName
                        + " needs " + expected + " bytes but data_offsets " + Arrays.toString(offsets) + " span "
                        + (end - begin));
            }
        }
        return new TensorEntry(name, dtypeName, shape, count, begin, end);
    }

    private static long[] nonNegativeLongs(Path file, String name, JsonNode node, String field, int requiredLength)
            throws SafetensorsException {
        String wanted = requiredLength < 0 ? "an array of non-negative integers"
                : "an array of " + requiredLength + " non-negative integers";
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new SafetensorsException(file, name, "\"" + field + "\" must be " + wanted + ", not " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw new SafetensorsException(file, name, "\"" + field + "\" must be " + wanted + ", not " + node);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** Two tensors sharing bytes means a corrupt header: writing one would silently change the other. */
    private static void checkNoOverlap(Path file, Iterable<TensorEntry> entries) throws SafetensorsException {
        List<TensorEntry> sorted = new ArrayList<>();
        for (TensorEntry entry : entries) {
            if (entry.byteLength() > 0) {
                sorted.add(entry);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorEntry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorEntry previous = sorted.get(i - 1);
            TensorEntry current = sorted.get(i);
            if (current.begin() < previous.end()) {
                throw new SafetensorsException(file, current.name(), "data_offsets [" + current.begin() + ", "
                        + current.end() + "] overlap those of tensor '" + previous.name() + "' [" + previous.begin()
                        + ", " + previous.end() + "]");
            }
        }
    }

    /** Reads until {@code buffer} is full; a short file at this point means it changed or was cut off. */
    static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafetensorsException(file, null, "unexpected end of file at byte " + at
                        + "; the file is truncated");
            }
            at += read;
        }
    }
}
