package dev.prefalign.trainer.optim;

/**
 * Dynamic loss scaling for float16 training (Micikevicius et al. 2018, arXiv:1710.03740), with torch.cuda.amp's
 * defaults: start at 2^16; after an overflow (a non-finite gradient) skip the step and halve; after 2000 clean steps in a
 * row double. With float32 compute the scale is 1 and never changes.
 */
public final class LossScaler {
    public static final double INITIAL = 65536.0;
    static final int GROWTH_INTERVAL = 2000;

    private final boolean enabled;
    private double scale;
    private int cleanSteps;

    public LossScaler(boolean enabled, double restoredScale) {
        this.enabled = enabled;
        this.scale = !enabled ? 1.0 : restoredScale > 0 ? restoredScale : INITIAL;
    }

    public double scale() {
        return scale;
    }

    /** Records a step's outcome; returns whether the optimiser may apply it. */
    public boolean update(boolean gradientsFinite) {
        if (!enabled) {
            return gradientsFinite;
        }
        if (!gradientsFinite) {
            scale = Math.max(1.0, scale / 2);
            cleanSteps = 0;
            return false;
        }
        if (++cleanSteps >= GROWTH_INTERVAL) {
            scale *= 2;
            cleanSteps = 0;
        }
        return true;
    }

    public int cleanSteps() {
        return cleanSteps;
    }

    /** Restores the clean-step counter of a checkpoint, so a resumed run grows the scale exactly when it would have. */
    public void restoreCleanSteps(int count) {
        this.cleanSteps = count;
    }
}
