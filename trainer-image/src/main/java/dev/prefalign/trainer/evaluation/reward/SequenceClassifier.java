package dev.prefalign.trainer.evaluation.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.safetensors.ModelWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A one-label sequence classifier over token ids, computed as transformers' {@code LlamaForSequenceClassification} (and
 * the generic sequence-classification code its Qwen2 and Mistral siblings share) computes it: the decoder's final
 * hidden states (after the final RMSNorm) go through {@code score.weight} at every position, and the score of a
 * sequence is the one at its last token that is not {@code pad_token_id} (the rightmost such token, which handles left
 * and right padding alike); without a {@code pad_token_id}, the last position.
 *
 * <p>Sequences are batched with right padding. The decoder attends causally, so a real token never sees the padding
 * after it: an attention mask would change nothing at the positions read, and a sequence scores the same alone or in a
 * batch with longer ones. The pooled position is found in the sequence itself, not in the padded row, so the batch's
 * padding cannot move it either.
 */
public final class SequenceClassifier implements AutoCloseable {
    private final RewardModelConfig config;
    private final CausalLm decoder;
    private final NDArray score;

    private SequenceClassifier(RewardModelConfig config, CausalLm decoder) {
        this.config = config;
        this.decoder = decoder;
        this.score = decoder.parameters().get(RewardModelConfig.SCORE);
    }

    /**
     * Reads {@code config.json} and the safetensors weights (F32, F16 or BF16; held as float32) onto a sub-manager of
     * {@code parent}.
     *
     * @throws IOException when the config is not a one-label sequence classifier, or a tensor is missing (the
     *     {@code model.*} decoder tensors and {@code score.weight}) or has the wrong shape
     */
    public static SequenceClassifier load(Path dir, NDManager parent) throws IOException {
        RewardModelConfig config = check(dir);
        CausalLm decoder = ModelStore.loadDecoder(dir, config.decoder(),
                Map.of(RewardModelConfig.SCORE, config.scoreShape()), parent);
        decoder.setTrainable(false);
        return new SequenceClassifier(config, decoder);
    }

    /**
     * Checks a folder cheaply (config.json and the safetensors headers, no weights read): a one-label sequence
     * classifier whose {@code score.weight} is there with shape [1, hidden_size].
     */
    public static RewardModelConfig check(Path dir) throws IOException {
        RewardModelConfig config = RewardModelConfig.read(dir);
        try (ModelWeights weights = ModelWeights.open(dir)) {
            if (!weights.names().contains(RewardModelConfig.SCORE)) {
                throw new IOException(dir + ": tensor " + RewardModelConfig.SCORE + " is missing from the safetensors "
                        + "files; a sequence classifier keeps its score head there, shape [num_labels, hidden_size] = "
                        + Arrays.toString(config.scoreShape()));
            }
            long[] shape = weights.shape(RewardModelConfig.SCORE);
            if (!Arrays.equals(shape, config.scoreShape())) {
                throw new IOException(dir + ": tensor " + RewardModelConfig.SCORE + " has shape "
                        + Arrays.toString(shape) + " but config.json implies [num_labels, hidden_size] = "
                        + Arrays.toString(config.scoreShape()));
            }
        }
        return config;
    }

    public RewardModelConfig config() {
        return config;
    }

    /**
     * The position transformers pools: the rightmost token that is not the pad token, or the last position when the
     * model has no pad token (or every token is one: then transformers' argmax over an all-zero mask gives 0).
     */
    public static int pooledIndex(int[] ids, OptionalInt padId) {
        if (padId.isEmpty()) {
            return ids.length - 1;
        }
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] != padId.getAsInt()) {
                return i;
            }
        }
        return 0;
    }

    /**
     * One score per sequence, in order, from one forward pass over the right-padded batch. Runs without gradients on
     * a sub-manager of the model's manager that is closed before returning.
     *
     * @param sequences token ids, each non-empty and at most max_position_embeddings long
     */
    public float[] scores(List<int[]> sequences) {
        if (sequences.isEmpty()) {
            return new float[0];
        }
        int width = 0;
        for (int[] s : sequences) {
            if (s.length == 0) {
                throw new IllegalArgumentException("a sequence to score has no tokens");
            }
            width = Math.max(width, s.length);
        }
        int n = sequences.size();
        // Padding is never read (see the class comment); the pad id keeps rows well-formed token ids.
        long pad = config.padTokenId().orElse(0);
        long[] ids = new long[n * width];
        List<Integer> pooled = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int[] s = sequences.get(r);
            for (int t = 0; t < width; t++) {
                ids[r * width + t] = t < s.length ? s[t] : pad;
            }
            pooled.add(pooledIndex(s, config.padTokenId()));
        }
        float[] perPosition;
        // The scope frees temporaries that attach to the parameters' manager; the sub-manager holds the inputs.
        try (NDScope temporaries = new NDScope(); NDManager scope = decoder.manager().newSubManager()) {
            NDArray hidden = decoder.hiddenStates(scope.create(ids, new Shape(n, width)));
            // transformers applies the head at every position and then pools; [N, T, 1], float32 (compute dtype)
            perPosition = Linear.linear(hidden, score).singletonOrThrow().toFloatArray();
        }
        float[] out = new float[n];
        for (int r = 0; r < n; r++) {
            out[r] = perPosition[r * width + pooled.get(r)];
        }
        return out;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
