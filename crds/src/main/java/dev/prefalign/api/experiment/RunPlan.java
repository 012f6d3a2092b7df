package dev.prefalign.api.experiment;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.util.List;

/**
 * An experiment expanded into its runs, every one validated.
 *
 * @param scoringJob the job that scores every model the same way: the base spec as ORPO
 */
public record RunPlan(List<PlannedRun> runs, PreferenceAlignmentJob scoringJob) {
    public RunPlan {
        runs = List.copyOf(runs);
    }
}
