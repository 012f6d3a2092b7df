package dev.prefalign.trainer.loss;

/** A preference loss over chosen/rejected log-probabilities: DPO and its variants, or ORPO. */
public sealed interface AlignmentLoss permits DpoLoss, OrpoLoss {

    /** Whether {@link #compute} needs the reference model's log-probabilities. */
    boolean needsReference();

    /** @param reference null when {@link #needsReference()} is false */
    LossResult compute(PairScores policy, ReferenceLogps reference);
}
