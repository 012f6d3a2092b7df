package dev.prefalign.operator.status;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.validation.SpecViolation;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the status is derived from, read from the cluster in one reconcile. Termination messages are read
 * from the Pods' container states.
 *
 * @param resource   the PreferenceAlignmentJob, with the status written last time
 * @param violations what SpecValidator finds wrong with its spec
 * @param job        its trainer Job, if one exists
 * @param pods       the Job's Pods, in any order
 * @param report     the running trainer's /status document, if it could be read
 * @param now        the time to stamp on conditions that change now
 * @param missingStorageClass the class spec.storage.storageClassName names, when the claim is yet to be created and
 *                   the cluster has no such class
 * @param ignoredSpecChanges the {@code spec.*} fields edited since the trainer Job was created, which it does not take
 * @param queue      what the scheduler (the operator's GPU budgets, or Kueue) says about a Job it holds back
 */
public record Observation(PreferenceAlignmentJob resource, List<SpecViolation> violations, Optional<Job> job,
        List<Pod> pods, Optional<TrainerReport> report, Instant now, Optional<String> missingStorageClass,
        List<String> ignoredSpecChanges, Optional<QueueSlot> queue) {

    /** An observation in which the StorageClass the job names exists (or none is named). */
    public Observation(PreferenceAlignmentJob resource, List<SpecViolation> violations, Optional<Job> job,
            List<Pod> pods, Optional<TrainerReport> report, Instant now) {
        this(resource, violations, job, pods, report, now, Optional.empty(), List.of(), Optional.empty());
    }

    /** The same observation, with spec edits made after the Job was created. */
    public Observation withIgnoredSpecChanges(List<String> fields) {
        return new Observation(resource, violations, job, pods, report, now, missingStorageClass, List.copyOf(fields),
                queue);
    }
}
