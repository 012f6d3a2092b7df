package dev.prefalign.trainer.experiment;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.util.List;

/**
 * An experiment expanded into its runs, every one validated.
 *
 * @param scoringJob the job that scores every model the same way: the base spec as ORPO (see ModelEvaluator)
 */
public record ExperimentPlan(Experiment experiment, List<PlannedRun> runs, PreferenceAlignmentJob scoringJob) {
    public ExperimentPlan {
        runs = List.copyOf(runs);
    }
}
