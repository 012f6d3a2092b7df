package dev.prefalign.trainer.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.tokens.TokenizedSequence;
import java.util.List;

/**
 * Right-padded token rows with, per row, where the completion starts and where the row ends. For preference pairs the
 * chosen rows come first and the rejected rows after them, so one forward pass scores both (as TRL's concatenated
 * forward does). Position t's token is predicted from logits at t-1.
 */
public record SequenceBatch(int[][] ids, int[] promptLengths, int[] lengths, int padId) {

    public static SequenceBatch ofPairs(List<TokenizedPair> pairs, int padId) {
        int b = pairs.size();
        int[][] rows = new int[2 * b][];
        int[] prompt = new int[2 * b];
        for (int i = 0; i < b; i++) {
            TokenizedPair p = pairs.get(i);
            rows[i] = concat(p.prompt(), p.chosen());
            rows[b + i] = concat(p.prompt(), p.rejected());
            prompt[i] = p.prompt().length;
            prompt[b + i] = p.prompt().length;
        }
        return pad(rows, prompt, padId);
    }

    public static SequenceBatch ofSequences(List<TokenizedSequence> sequences, int padId) {
        int n = sequences.size();
        int[][] rows = new int[n][];
        int[] prompt = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = concat(sequences.get(i).prompt(), sequences.get(i).completion());
            prompt[i] = sequences.get(i).prompt().length;
        }
        return pad(rows, prompt, padId);
    }

    private static SequenceBatch pad(int[][] rows, int[] promptLengths, int padId) {
        int t = 0;
        for (int[] r : rows) {
            t = Math.max(t, r.length);
        }
        int[][] padded = new int[rows.length][t];
        int[] lengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, padded[i], 0, rows[i].length);
            for (int j = rows[i].length; j < t; j++) {
                padded[i][j] = padId;
            }
            lengths[i] = rows[i].length;
        }
        return new SequenceBatch(padded, promptLengths, lengths, padId);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public int rows() {
        return ids.length;
    }

    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    /** Non-padding tokens, for throughput figures. */
    public long tokenCount() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }

    public NDArray inputIds(NDManager manager) {
        long[] flat = new long[rows() * width()];
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < width(); j++) {
                flat[i * width() + j] = ids[i][j];
            }
        }
        return manager.create(flat, new Shape(rows(), width()));
    }

    /** [N, T-1] targets: the token at t+1 for each position t. */
    public NDArray targets(NDManager manager) {
        int w = width() - 1;
        long[] flat = new long[rows() * w];
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < w; j++) {
                flat[i * w + j] = ids[i][j + 1];
            }
        }
        return manager.create(flat, new Shape(rows(), w));
    }

    /** [N, T-1] 1 where the target is a completion token, 0 on prompt and padding. */
    public NDArray completionMask(NDManager manager) {
        return mask(manager, false);
    }

    /** [N, T-1] 1 where the target is any real token after the first (prompt included), 0 on padding. */
    public NDArray sequenceMask(NDManager manager) {
        return mask(manager, true);
    }

    private NDArray mask(NDManager manager, boolean includePrompt) {
        int w = width() - 1;
        float[] flat = new float[rows() * w];
        for (int i = 0; i < rows(); i++) {
            int from = includePrompt ? 1 : promptLengths[i];
            for (int pos = Math.max(from, 1); pos < lengths[i]; pos++) {
                flat[i * w + pos - 1] = 1f;
            }
        }
        return manager.create(flat, new Shape(rows(), w));
    }
}
