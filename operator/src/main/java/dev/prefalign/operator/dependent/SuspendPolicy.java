package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.scheduling.SchedulingMode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * How spec.runPolicy.suspend reaches the Job's spec.suspend. Suspending is always passed on. Releasing is passed on
 * unless a scheduler owns that decision: Kueue for a Job that carries {@value ChildResources#KUEUE_QUEUE_LABEL} (it
 * releases such Jobs when their queue admits them), or the operator's own GPU admission under
 * {@link SchedulingMode#BUDGETS}. Neither may be overridden by releasing the Job early.
 */
public final class SuspendPolicy {

    private SuspendPolicy() {
    }

    /** The spec.suspend the Job should get, or empty when its current value is to be left alone. */
    public static Optional<Boolean> wanted(PreferenceAlignmentJob job, Job actual, SchedulingMode scheduling) {
        boolean suspend = job.getSpec().getRunPolicy().isSuspend();
        if (suspend) {
            return Optional.of(true);
        }
        boolean queued = actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().containsKey(ChildResources.KUEUE_QUEUE_LABEL);
        return queued || scheduling == SchedulingMode.BUDGETS ? Optional.empty() : Optional.of(false);
    }

    /** Whether the Job's spec.suspend already is what {@link #wanted} asks for. */
    public static boolean satisfied(PreferenceAlignmentJob job, Job actual, SchedulingMode scheduling) {
        boolean current = Boolean.TRUE.equals(actual.getSpec().getSuspend());
        return wanted(job, actual, scheduling).map(w -> w == current).orElse(true);
    }

    /**
     * Whether a new Job starts held back: when the user suspended it, when the operator admits it against budgets,
     * or when Kueue will (the resource names a queue and Kueue is the scheduler).
     */
    public static boolean heldBackAtCreation(PreferenceAlignmentJob job, SchedulingMode scheduling) {
        boolean queueLabel = job.getMetadata().getLabels() != null
                && job.getMetadata().getLabels().containsKey(ChildResources.KUEUE_QUEUE_LABEL);
        return job.getSpec().getRunPolicy().isSuspend() || scheduling == SchedulingMode.BUDGETS
                || scheduling == SchedulingMode.KUEUE && queueLabel;
    }
}
