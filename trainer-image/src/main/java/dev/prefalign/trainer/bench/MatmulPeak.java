package dev.prefalign.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** The engine's fp32 matmul throughput on this machine, measured with square products large enough to saturate it. */
public final class MatmulPeak {
    private MatmulPeak() {
    }

    /**
     * Best GFLOP/s over timed repetitions of square products of several sizes: the highest rate the engine reaches is
     * the fairest denominator for MFU (a low peak would flatter it).
     */
    public static double measure() {
        double best = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int n : new int[] {512, 1024, 2048}) {
                NDArray a = m.randomNormal(new Shape(n, n));
                NDArray b = m.randomNormal(new Shape(n, n));
                int reps = n == 2048 ? 4 : 8;
                for (int rep = 0; rep < reps; rep++) {
                    try (NDScope scope = new NDScope()) {
                        long t0 = System.nanoTime();
                        NDArray c = a.matMul(b);
                        c.getFloat(0, 0); // forces completion on asynchronous devices
                        double s = (System.nanoTime() - t0) / 1e9;
                        if (rep > 0) {
                            best = Math.max(best, 2.0 * n * n * n / s / 1e9);
                        }
                    }
                }
            }
        }
        return best;
    }
}
