package dev.prefalign.trainer.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.safetensors.index.json}: which shard holds each tensor.
 *
 * @param totalSize  bytes of tensor data over all shards (headers excluded), as transformers counts it
 * @param weightMap  tensor name to shard file name, in the index's order
 */
record ShardIndex(long totalSize, Map<String, String> weightMap) {

    static ShardIndex read(Path indexFile) throws IOException {
        JsonNode root;
        try {
            root = SafetensorsHeader.JSON.readTree(Files.readAllBytes(indexFile));
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(indexFile, null, "is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
        JsonNode weightMapNode = root == null ? null : root.get("weight_map");
        if (weightMapNode == null || !weightMapNode.isObject()) {
            throw new SafetensorsException(indexFile, null, "needs a \"weight_map\" object of tensor name to "
                    + "shard file name");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : weightMapNode.properties()) {
            if (!field.getValue().isTextual()) {
                throw new SafetensorsException(indexFile, field.getKey(), "weight_map value must be a shard file "
                        + "name, not " + field.getValue());
            }
            weightMap.put(field.getKey(), field.getValue().textValue());
        }
        // total_size is informational (transformers uses it for progress only), so a missing one is no error.
        JsonNode totalSize = root.path("metadata").path("total_size");
        return new ShardIndex(totalSize.canConvertToLong() ? totalSize.asLong() : -1,
                Collections.unmodifiableMap(weightMap));
    }

    /** Writes the index as transformers does: keys sorted, indented, atomically. */
    void write(Path indexFile) throws IOException {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        new TreeMap<>(weightMap).forEach(map::put);
        byte[] json = (SafetensorsHeader.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(indexFile, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }
}
