package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.ExperimentPlanner;
import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.experiment.RunPlan;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.nio.file.Path;
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

    /**
     * Expands and validates the experiment's runs (see {@link ExperimentPlanner}).
     *
     * @param manifestDir the experiment file's folder: relative local sources are made absolute against it; null
     *                    keeps sources as written
     */
    public static ExperimentPlan of(Experiment experiment, Path manifestDir) throws ManifestException {
        RunPlan plan = ExperimentPlanner.plan(experiment.design(), manifestDir);
        return new ExperimentPlan(experiment, plan.runs(), plan.scoringJob());
    }
}
