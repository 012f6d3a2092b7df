package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * How spec.runPolicy.suspend reaches the Job's spec.suspend. Suspending is always passed on. Releasing is passed on
 * unless Kueue manages the Job (it carries {@value ChildResources#KUEUE_QUEUE_LABEL}): Kueue creates such Jobs
 * suspended and releases them itself when their queue admits them, so the operator must not release them early.
 */
public final class SuspendPolicy {

    private SuspendPolicy() {
    }

    /** The spec.suspend the Job should get, or empty when its current value is to be left alone. */
    public static Optional<Boolean> wanted(PreferenceAlignmentJob job, Job actual) {
        boolean suspend = job.getSpec().getRunPolicy().isSuspend();
        if (suspend) {
            return Optional.of(true);
        }
        boolean queued = actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().containsKey(ChildResources.KUEUE_QUEUE_LABEL);
        return queued ? Optional.empty() : Optional.of(false);
    }

    /** Whether the Job's spec.suspend already is what {@link #wanted} asks for. */
    public static boolean satisfied(PreferenceAlignmentJob job, Job actual) {
        boolean current = Boolean.TRUE.equals(actual.getSpec().getSuspend());
        return wanted(job, actual).map(w -> w == current).orElse(true);
    }
}
