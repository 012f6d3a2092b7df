package dev.prefalign.trainer.loss;

/**
 * Log-probabilities of the chosen and rejected completions of B pairs ([B] each), split from one concatenated batch.
 * The chosen side also carries ORPO's NLL inputs (all chosen tokens, prompt included).
 */
public record PairScores(SequenceScores chosen, SequenceScores rejected) {

    public static PairScores split(SequenceScores all) {
        int n = (int) all.sum().getShape().get(0);
        return new PairScores(all.rows(0, n / 2), all.rows(n / 2, n));
    }

    public int pairs() {
        return (int) chosen.sum().getShape().get(0);
    }

    public double[] chosenLogps() {
        return PairMath.doubles(chosen.sum());
    }

    public double[] rejectedLogps() {
        return PairMath.doubles(rejected.sum());
    }
}
