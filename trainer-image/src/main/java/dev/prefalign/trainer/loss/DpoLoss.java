package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Direct Preference Optimization (Rafailov et al. 2023, arXiv:2305.18290). With h = (log pi(y_w) - log ref(y_w)) -
 * (log pi(y_l) - log ref(y_l)), each variant maps h to a per-pair loss; the batch loss is the mean over pairs (eq. 7 for
 * the sigmoid form). Rewards are beta times the policy/reference log-ratio (section 5), reported as TRL reports them.
 */
public abstract sealed class DpoLoss implements AlignmentLoss
        permits SigmoidDpoLoss, RobustDpoLoss, HingeDpoLoss, IpoLoss {
    protected final double beta;

    protected DpoLoss(double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("dpo.beta must be > 0, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public final boolean needsReference() {
        return true;
    }

    /** IPO compares length-normalised log-probabilities; the others compare sums. */
    protected boolean usesAverageLogps() {
        return false;
    }

    /** Per-pair loss of the log-ratio difference h [B]. */
    protected abstract NDArray pairLoss(NDArray h);

    @Override
    public final LossResult compute(PairScores policy, ReferenceLogps reference) {
        boolean avg = usesAverageLogps();
        NDArray pc = avg ? policy.chosen().average() : policy.chosen().sum();
        NDArray pr = avg ? policy.rejected().average() : policy.rejected().sum();
        NDArray rc = PairMath.array(reference.chosen(), pc);
        NDArray rr = PairMath.array(reference.rejected(), pc);
        if (avg) {
            rc = rc.div(policy.chosen().count());
            rr = rr.div(policy.rejected().count());
        }
        NDArray chosenRatio = pc.sub(rc);
        NDArray rejectedRatio = pr.sub(rr);
        NDArray perPair = pairLoss(chosenRatio.sub(rejectedRatio));
        NDArray loss = perPair.mean();

        double[] chosenRewards = scaled(PairMath.doubles(chosenRatio));
        double[] rejectedRewards = scaled(PairMath.doubles(rejectedRatio));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", PairMath.mean(PairMath.doubles(perPair)));
        RewardMetrics.put(metrics, chosenRewards, rejectedRewards);
        metrics.put("logps/chosen", PairMath.mean(PairMath.doubles(pc)));
        metrics.put("logps/rejected", PairMath.mean(PairMath.doubles(pr)));
        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put("policy_chosen_logps", policy.chosenLogps());
        columns.put("policy_rejected_logps", policy.rejectedLogps());
        columns.put("reference_chosen_logps", reference.chosen());
        columns.put("reference_rejected_logps", reference.rejected());
        return new LossResult(loss, PairMath.doubles(perPair), metrics, columns);
    }

    private double[] scaled(double[] ratios) {
        double[] out = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            out[i] = beta * ratios[i];
        }
        return out;
    }
}
