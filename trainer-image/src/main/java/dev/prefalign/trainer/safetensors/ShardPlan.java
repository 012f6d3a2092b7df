package dev.prefalign.trainer.safetensors;

import java.util.ArrayList;
import java.util.List;

/** Splits tensors into shards of at most a given size, the way Hugging Face's save_pretrained does. */
final class ShardPlan {

    private ShardPlan() {}

    /**
     * Fills shards in order, starting a new one when the next tensor would overflow the current one. A tensor larger
     * than the limit on its own gets a shard to itself (a tensor is never split), as in huggingface_hub.
     */
    static List<List<TensorData>> split(List<TensorData> tensors, DType dtype, long maxShardBytes) {
        List<List<TensorData>> shards = new ArrayList<>();
        List<TensorData> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorData tensor : tensors) {
            long bytes = SafetensorsWriter.byteSize(tensor, dtype);
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(tensor);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /** {@code model-00001-of-00003.safetensors}: transformers' shard names, 1-based, five digits. */
    static String shardFileName(int index, int count) {
        return String.format("model-%05d-of-%05d.safetensors", index + 1, count);
    }
}
