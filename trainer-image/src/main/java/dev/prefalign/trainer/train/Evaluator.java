package dev.prefalign.trainer.train;

import ai.djl.ndarray.NDScope;
import dev.prefalign.trainer.loss.LossResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a dataset without training: metrics are the mean of per-batch values (as TRL reports them), per-example rows
 * do not depend on batching. Runs with gradients off.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** One evaluated example: where it came from, its loss and its log-probability columns. */
    public record ExampleScore(int index, String origin, double loss, Map<String, Double> columns) {
    }

    public record Evaluation(Map<String, Double> metrics, List<ExampleScore> examples) {
        /** Metrics under the eval_ prefix, for logs and status. */
        public Map<String, Double> prefixed() {
            Map<String, Double> out = new LinkedHashMap<>();
            metrics.forEach((k, v) -> out.put("eval_" + k, v));
            return out;
        }
    }

    public static Evaluation evaluate(Objective objective, int batchSize) {
        MetricsAverager averager = new MetricsAverager();
        List<ExampleScore> rows = new ArrayList<>(objective.size());
        int[] order = new DataOrder(objective.size(), false, 0).epoch(0);
        for (int k = 0; k * batchSize < order.length; k++) {
            int[] idx = DataOrder.microBatch(order, k, batchSize);
            try (NDScope scope = new NDScope()) {
                LossResult r = objective.loss(idx);
                averager.add(r.metrics());
                for (int i = 0; i < idx.length; i++) {
                    Map<String, Double> cols = new LinkedHashMap<>();
                    final int row = i;
                    r.perExampleColumns().forEach((name, values) -> cols.put(name, values[row]));
                    rows.add(new ExampleScore(idx[i], objective.origin(idx[i]), r.perExampleLoss()[i], cols));
                }
            }
        }
        return new Evaluation(averager.drain(), rows);
    }
}
