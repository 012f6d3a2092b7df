package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import dev.prefalign.trainer.model.Scalars;

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
        NDArray z = Scalars.mul(h, beta);
        NDArray mixed = Scalars.mul(PairMath.logSigmoid(z), -(1 - labelSmoothing))
                .add(Scalars.mul(PairMath.logSigmoid(z.neg()), labelSmoothing));
        return Scalars.div(mixed, (float) (1 - 2 * labelSmoothing));
    }
}
