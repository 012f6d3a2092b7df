package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * Robust DPO (Chowdhury et al. 2024, arXiv:2403.00409): an unbiased loss under preference labels flipped with rate eps,
 * (-(1-eps) log sigmoid(beta h) + eps log sigmoid(-beta h)) / (1 - 2 eps).
 */
public final class RobustDpoLoss extends DpoLoss {
    private final double labelSmoothing;

    public RobustDpoLoss(double beta, double labelSmoothing) {
        super(beta);
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("dpo.labelSmoothing must be in [0, 0.5) for the robust loss");
        }
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    protected NDArray pairLoss(NDArray h) {
        NDArray z = h.mul((float) beta);
        return PairMath.logSigmoid(z).mul((float) -(1 - labelSmoothing))
                .add(PairMath.logSigmoid(z.neg()).mul((float) labelSmoothing))
                .div((float) (1 - 2 * labelSmoothing));
    }
}
