package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import dev.prefalign.trainer.model.Scalars;

/**
 * DPO's original loss, -log sigmoid(beta h) (Rafailov et al. 2023, eq. 7), with conservative label smoothing eps
 * (cDPO, Mitchell 2023): -(1-eps) log sigmoid(beta h) - eps log sigmoid(-beta h).
 */
public final class SigmoidDpoLoss extends DpoLoss {
    private final double labelSmoothing;

    public SigmoidDpoLoss(double beta, double labelSmoothing) {
        super(beta);
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    protected NDArray pairLoss(NDArray h) {
        NDArray z = Scalars.mul(h, beta);
        return Scalars.mul(PairMath.logSigmoid(z), -(1 - labelSmoothing))
                .sub(Scalars.mul(PairMath.logSigmoid(z.neg()), labelSmoothing));
    }
}
