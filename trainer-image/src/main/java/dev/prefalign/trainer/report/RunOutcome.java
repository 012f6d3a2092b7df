package dev.prefalign.trainer.report;

import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.experiment.RunRecord;

/**
 * Everything the report shows of one run.
 *
 * @param resolvedYaml the job it ran, every default written out; empty when it never started
 * @param evaluation   its method-independent scores; null when it was not evaluated
 */
public record RunOutcome(RunRecord record, String resolvedYaml, MetricsHistory metrics, ModelEvaluation evaluation) {
    public String name() {
        return record.name();
    }

    public boolean evaluated() {
        return evaluation != null && evaluation.ok();
    }
}
