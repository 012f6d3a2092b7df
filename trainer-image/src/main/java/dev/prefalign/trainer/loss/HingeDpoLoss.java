package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import dev.prefalign.trainer.model.Scalars;

/** The hinge form of DPO, relu(1 - beta h), as in SLiC (Zhao et al. 2023, arXiv:2305.10425) and TRL. */
public final class HingeDpoLoss extends DpoLoss {
    public HingeDpoLoss(double beta) {
        super(beta);
    }

    @Override
    protected NDArray pairLoss(NDArray h) {
        return Scalars.maximum(Scalars.add(Scalars.mul(h, -beta), 1), 0);
    }
}
