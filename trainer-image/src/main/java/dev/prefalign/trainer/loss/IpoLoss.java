package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import dev.prefalign.trainer.model.Scalars;

/**
 * Identity Preference Optimisation (Azar et al. 2023, arXiv:2310.12036, eq. 17): (h - 1/(2 beta))^2 with h built from
 * length-normalised log-probabilities, as TRL computes it. Rewards and logps metrics then use the averages too.
 */
public final class IpoLoss extends DpoLoss {
    public IpoLoss(double beta) {
        super(beta);
    }

    @Override
    protected boolean usesAverageLogps() {
        return true;
    }

    @Override
    protected NDArray pairLoss(NDArray h) {
        return Scalars.sub(h, (float) (1 / (2 * beta))).square();
    }
}
