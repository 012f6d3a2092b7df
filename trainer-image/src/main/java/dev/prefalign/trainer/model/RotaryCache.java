package dev.prefalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Rotary position tables (rotate-half convention, as transformers' Llama) and the causal mask for each sequence length
 * seen, built once and kept on the model's manager. Batches are padded to few distinct lengths, so the cache stays small.
 */
final class RotaryCache {
    private final ModelConfig config;
    private final NDManager manager;
    private final float[] invFreq;
    private final Map<String, Tables> byLength = new HashMap<>();

    RotaryCache(ModelConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
        int d = config.headDim();
        invFreq = new float[d / 2];
        for (int i = 0; i < d / 2; i++) {
            // float32 like transformers: 1 / theta^(2i/d)
            double f = 1.0 / Math.pow(config.ropeTheta(), (float) (2 * i) / d);
            invFreq[i] = (float) (config.ropeScaling().isPresent() ? config.ropeScaling().get().scale(f) : f);
        }
    }

    synchronized Tables tables(int length) {
        return tables(length, DataType.FLOAT32);
    }

    /** Tables in the compute dtype, so that float16 activations are not promoted back to float32. */
    synchronized Tables tables(int length, DataType type) {
        return byLength.computeIfAbsent(length + "/" + type, k -> build(length, type));
    }

    private Tables build(int t, DataType type) {
        int d = config.headDim();
        float[] cos = new float[t * d];
        float[] sin = new float[t * d];
        for (int pos = 0; pos < t; pos++) {
            for (int i = 0; i < d / 2; i++) {
                float angle = pos * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[pos * d + i] = c;
                cos[pos * d + i + d / 2] = c;
                sin[pos * d + i] = s;
                sin[pos * d + i + d / 2] = s;
            }
        }
        float[] mask = new float[t * t];
        for (int row = 0; row < t; row++) {
            for (int col = row + 1; col < t; col++) {
                mask[row * t + col] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray cosArr = manager.create(cos, new Shape(t, d)).toType(type, false);
        NDArray sinArr = manager.create(sin, new Shape(t, d)).toType(type, false);
        NDArray maskArr = manager.create(mask, new Shape(t, t)).toType(type, false);
        // Built lazily, possibly inside a step's NDScope: the tables outlive the step.
        NDScope.unregister(cosArr, sinArr, maskArr);
        return new Tables(cosArr, sinArr, maskArr, d);
    }

    /** cos/sin [T, D] and the additive causal mask [T, T] (0 on and below the diagonal, -inf above). */
    record Tables(NDArray cos, NDArray sin, NDArray causalMask, int headDim) {
        /** x [N, heads, T, D] rotated: x*cos + rotate_half(x)*sin, rotate_half(x) = [-x2, x1]. */
        NDArray apply(NDArray x) {
            NDList halves = x.split(2, 3);
            NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
            return x.mul(cos).add(rotated.mul(sin));
        }
    }
}
