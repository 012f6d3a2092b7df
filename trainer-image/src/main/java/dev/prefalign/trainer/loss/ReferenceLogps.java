package dev.prefalign.trainer.loss;

/** Summed completion log-probabilities of the frozen reference model for B pairs, computed live or precomputed. */
public record ReferenceLogps(double[] chosen, double[] rejected) {
    public ReferenceLogps {
        if (chosen.length != rejected.length) {
            throw new IllegalArgumentException("chosen and rejected reference log-probs differ in length");
        }
    }
}
