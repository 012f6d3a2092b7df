package dev.prefalign.trainer.report;

import dev.prefalign.trainer.evaluation.RankBy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report's order of runs: evaluated runs by the experiment's {@code rankBy} (higher first), ties broken by the
 * held-out logp margin, then by index; runs without a score follow in index order.
 */
final class Ranking {
    private Ranking() {
    }

    static List<RunOutcome> rank(ExperimentResults results) {
        RankBy by = results.evaluation().ranking();
        Comparator<RunOutcome> order = Comparator
                .comparing((RunOutcome r) -> !Double.isFinite(score(results, by, r)))
                .thenComparing(r -> -finiteOr(score(results, by, r)))
                .thenComparing(r -> -finiteOr(r.evaluated() ? r.evaluation().logpMargin() : Double.NaN))
                .thenComparingInt(r -> r.record().index());
        List<RunOutcome> out = new ArrayList<>(results.runs());
        out.sort(order);
        return out;
    }

    static double score(ExperimentResults results, RankBy by, RunOutcome run) {
        if (!run.evaluated()) {
            return Double.NaN;
        }
        return by.score(run.evaluation(),
                results.winRate(run.name(), ExperimentResults.STARTING_MODEL).orElse(null));
    }

    private static double finiteOr(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
