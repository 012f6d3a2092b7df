package dev.prefalign.operator.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which runs get their job now: the first runs in plan order that have none, while fewer than
 * {@code spec.maxConcurrent} of the experiment's jobs are unfinished. A job counts as unfinished until its status says
 * Succeeded or Failed (a job just created, with no status yet, counts), so a slot is never given twice.
 */
public final class RunAdmission {

    private RunAdmission() {
    }

    public static List<PlannedRun> next(List<PlannedRun> runs, Map<String, PreferenceAlignmentJob> jobs,
            int maxConcurrent) {
        long unfinished = jobs.values().stream().filter(j -> !ExperimentResults.finished(j)).count();
        List<PlannedRun> admitted = new ArrayList<>();
        for (PlannedRun run : runs) {
            if (unfinished + admitted.size() >= maxConcurrent) {
                break;
            }
            if (!jobs.containsKey(run.name())) {
                admitted.add(run);
            }
        }
        return admitted;
    }
}
