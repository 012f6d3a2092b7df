package dev.prefalign.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * Global L2-norm clipping as torch.nn.utils.clip_grad_norm_: scale all gradients by min(1, max / (norm + 1e-6)).
 * DJL's own clipGrad clips element-wise, which is a different algorithm.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The global L2 norm of the gradients (one device sync). */
    public static double globalNorm(Collection<NDArray> gradients) {
        NDArray total = null;
        for (NDArray g : gradients) {
            NDArray sq = g.square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total == null ? 0.0 : Math.sqrt(total.getFloat());
    }

    /** Clips in place; returns the norm before clipping. Skipped when maxNorm <= 0. */
    public static double clip(Collection<NDArray> gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1.0) {
                for (NDArray g : gradients) {
                    g.muli((float) coef);
                }
            }
        }
        return norm;
    }
}
