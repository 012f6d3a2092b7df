package dev.prefalign.operator.experiment;

import static dev.prefalign.operator.status.ConditionTypes.READY;
import static dev.prefalign.operator.status.ConditionTypes.RECONCILING;
import static dev.prefalign.operator.status.ConditionTypes.STALLED;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.ExperimentRunResult;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentExperimentStatus;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.status.Conditions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status of an experiment as a pure function of its plan and its jobs: one results row per run, in plan order,
 * copied from the run's job as it reports; counts; and a phase that ends only when every run has ended.
 */
public final class ExperimentResults {

    private ExperimentResults() {
    }

    /** Whether the job has ended: Succeeded or Failed. */
    static boolean finished(PreferenceAlignmentJob job) {
        return Phase.of(job.getStatus()).isTerminal();
    }

    public static PreferenceAlignmentExperimentStatus compute(PreferenceAlignmentExperiment experiment,
            ExperimentPlans.Outcome outcome, Map<String, PreferenceAlignmentJob> jobs, Instant instant) {
        PreferenceAlignmentExperimentStatus old = experiment.getStatus() != null ? experiment.getStatus()
                : new PreferenceAlignmentExperimentStatus();
        long generation = experiment.getMetadata().getGeneration() == null ? 0
                : experiment.getMetadata().getGeneration();
        String now = instant.truncatedTo(ChronoUnit.SECONDS).toString();
        int maxConcurrent = experiment.getSpec() == null ? 1 : experiment.getSpec().getMaxConcurrent();

        PreferenceAlignmentExperimentStatus status = new PreferenceAlignmentExperimentStatus();
        status.setObservedGeneration(generation);
        List<ExperimentRunResult> results = new ArrayList<>();
        if (outcome.valid()) {
            for (PlannedRun run : outcome.plan().runs()) {
                results.add(row(run, jobs.get(run.name()), maxConcurrent));
            }
        } else {
            // Runs created before the spec broke keep reporting.
            jobs.values().forEach(job -> results.add(row(null, job, maxConcurrent)));
        }
        int succeeded = count(results, Phase.Succeeded);
        int failed = count(results, Phase.Failed);
        int active = (int) jobs.values().stream().filter(j -> !finished(j)).count();
        status.setResults(results);
        status.setRuns(results.size());
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        status.setActive(active);
        status.setStartTime(old.getStartTime() != null ? old.getStartTime() : jobs.isEmpty() ? null : now);

        String reason;
        String message;
        boolean stalled;
        Phase phase;
        if (!outcome.valid()) {
            phase = jobs.isEmpty() ? Phase.Pending : Phase.Running;
            stalled = true;
            reason = "InvalidSpec";
            message = "The experiment's spec is invalid, so no further run is started: "
                    + String.join("; ", outcome.problems());
        } else if (jobs.isEmpty()) {
            phase = Phase.Pending;
            stalled = false;
            reason = "Creating";
            message = "Creating the first of " + results.size() + " runs.";
        } else if (succeeded + failed == results.size()) {
            phase = failed == 0 ? Phase.Succeeded : Phase.Failed;
            stalled = failed > 0;
            reason = failed == 0 ? "Succeeded" : "RunsFailed";
            message = failed == 0 ? "All " + results.size() + " runs succeeded."
                    : failed + " of " + results.size() + " runs failed: " + String.join("; ", results.stream()
                            .filter(r -> r.getPhase() == Phase.Failed)
                            .map(r -> r.getName() + ": " + r.getMessage()).toList());
        } else {
            phase = Phase.Running;
            stalled = false;
            reason = "Running";
            message = succeeded + " of " + results.size() + " runs succeeded, " + failed + " failed, " + active
                    + " running, " + (results.size() - succeeded - failed - active) + " waiting (maxConcurrent "
                    + maxConcurrent + ").";
        }
        status.setPhase(phase);
        status.setMessage(message);
        status.setCompletionTime(phase.isTerminal()
                ? (old.getCompletionTime() != null ? old.getCompletionTime() : now) : null);
        boolean reconciling = !stalled && !phase.isTerminal();
        status.setConditions(List.of(
                Conditions.build(READY, phase == Phase.Succeeded, phase == Phase.Succeeded ? reason : phase.name(),
                        phase == Phase.Succeeded ? message : "", old.getConditions(), generation, now),
                Conditions.build(RECONCILING, reconciling, reconciling ? reason : phase.name(),
                        reconciling ? message : "", old.getConditions(), generation, now),
                Conditions.build(STALLED, stalled, stalled ? reason : phase.name(), stalled ? message : "",
                        old.getConditions(), generation, now)));
        return status;
    }

    private static int count(List<ExperimentRunResult> results, Phase phase) {
        return (int) results.stream().filter(r -> r.getPhase() == phase).count();
    }

    /** A results row; {@code run} is null for a job the current plan no longer has. */
    private static ExperimentRunResult row(PlannedRun run, PreferenceAlignmentJob job, int maxConcurrent) {
        ExperimentRunResult row = new ExperimentRunResult();
        if (run != null) {
            row.setName(run.name());
            row.setDescription(run.description());
            row.setSettings(run.settingTexts());
        } else {
            row.setName(job.getMetadata().getName());
        }
        if (job == null) {
            row.setPhase(Phase.Pending);
            row.setMessage("Waiting for one of the experiment's " + maxConcurrent + " slots (spec.maxConcurrent).");
            return row;
        }
        PreferenceAlignmentJobStatus s = job.getStatus();
        row.setPhase(Phase.of(job.getStatus()));
        if (s != null) {
            row.setMessage(s.getMessage());
            row.setMetrics(s.getMetrics());
            row.setOutputPath(s.getOutputPath());
            row.setStartTime(s.getStartTime());
            row.setCompletionTime(s.getCompletionTime());
        }
        return row;
    }
}
