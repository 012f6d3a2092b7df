package dev.prefalign.trainer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prefalign.trainer.model.CausalLm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Completions for a look before and after alignment: greedy (temperature 0) or sampled with temperature and top-p.
 * Each new token re-runs the whole sequence (no KV cache): simple and exact, fine for short checks, not for serving.
 */
public final class Generator {
    private final CausalLm model;

    public Generator(CausalLm model) {
        this.model = model;
    }

    public record Settings(int maxNewTokens, double temperature, double topP, long seed) {
        public static Settings greedy(int maxNewTokens) {
            return new Settings(maxNewTokens, 0, 1, 0);
        }
    }

    /** New token ids after the prompt, stopping after {@code eosId} (included) or maxNewTokens. */
    public int[] generate(int[] prompt, int eosId, Settings s) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        NDManager m = model.manager();
        SplittableRandom random = new SplittableRandom(s.seed());
        int[] seq = Arrays.copyOf(prompt, prompt.length + s.maxNewTokens());
        int len = prompt.length;
        while (len < seq.length) {
            float[] logits;
            try (NDScope scope = new NDScope()) {
                long[] ids = new long[len];
                for (int i = 0; i < len; i++) {
                    ids[i] = seq[i];
                }
                NDArray hidden = model.hiddenStates(m.create(ids, new Shape(1, len)));
                logits = model.logits(hidden.get(new NDIndex(":, -1"))).toType(DataType.FLOAT32, false)
                        .toFloatArray();
            }
            int next = s.temperature() <= 0 ? argMax(logits) : sample(logits, s, random);
            seq[len++] = next;
            if (next == eosId) {
                break;
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, len);
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Samples from softmax(logits / T) restricted to the smallest set of tokens whose mass reaches top-p. */
    static int sample(float[] logits, Settings s, SplittableRandom random) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((logits[i] - max) / s.temperature());
            total += p[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            p[i] /= total;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double mass = 0;
        int keep = 0;
        while (keep < n && (keep == 0 || mass < s.topP())) {
            mass += p[order[keep++]];
        }
        double u = random.nextDouble() * mass;
        for (int k = 0; k < keep; k++) {
            u -= p[order[k]];
            if (u <= 0) {
                return order[k];
            }
        }
        return order[keep - 1];
    }
}
