package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import dev.prefalign.trainer.model.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Odds Ratio Preference Optimization (Hong et al. 2024, arXiv:2403.07691): the SFT loss on the chosen sequences plus
 * lambda times -log sigmoid(log odds ratio) (eq. 6-7), with odds(y) = p / (1 - p) of the length-normalised likelihood.
 * No reference model. The NLL covers every chosen token, prompt included, averaged over the batch's tokens (as TRL).
 */
public final class OrpoLoss implements AlignmentLoss {
    private final double lambda;

    public OrpoLoss(double lambda) {
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("orpo.lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public boolean needsReference() {
        return false;
    }

    @Override
    public LossResult compute(PairScores policy, ReferenceLogps reference) {
        SequenceScores chosen = policy.chosen();
        NDArray lw = chosen.average();
        NDArray ll = policy.rejected().average();
        // log odds(y_w) - log odds(y_l), eq. 4: (l_w - l_l) - (log(1 - e^l_w) - log(1 - e^l_l))
        NDArray logOdds = lw.sub(ll).sub(PairMath.log1mexp(lw).sub(PairMath.log1mexp(ll)));
        NDArray ratioTerm = PairMath.logSigmoid(logOdds); // [B]
        NDArray nll = chosen.fullSum().sum().neg().div(chosen.fullCount().sum());
        NDArray loss = nll.sub(Scalars.mul(ratioTerm.mean(), lambda));

        double[] perExampleNll = perExampleNll(chosen);
        double[] ratio = PairMath.doubles(ratioTerm);
        double[] perExample = new double[ratio.length];
        for (int i = 0; i < ratio.length; i++) {
            perExample[i] = perExampleNll[i] - lambda * ratio[i];
        }
        double[] lwValues = PairMath.doubles(lw);
        double[] llValues = PairMath.doubles(ll);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) loss.getFloat());
        RewardMetrics.put(metrics, scaled(lwValues), scaled(llValues));
        metrics.put("logps/chosen", PairMath.mean(lwValues));
        metrics.put("logps/rejected", PairMath.mean(llValues));
        metrics.put("nll_loss", (double) nll.getFloat());
        metrics.put("log_odds_ratio", PairMath.mean(ratio));
        metrics.put("log_odds_chosen", PairMath.mean(PairMath.doubles(logOdds)));
        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put("policy_chosen_logps", policy.chosenLogps());
        columns.put("policy_rejected_logps", policy.rejectedLogps());
        return new LossResult(loss, perExample, metrics, columns);
    }

    private static double[] perExampleNll(SequenceScores chosen) {
        double[] sums = PairMath.doubles(chosen.fullSum());
        double[] counts = PairMath.doubles(chosen.fullCount());
        double[] out = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = -sums[i] / counts[i];
        }
        return out;
    }

    private double[] scaled(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = lambda * v[i];
        }
        return out;
    }
}
