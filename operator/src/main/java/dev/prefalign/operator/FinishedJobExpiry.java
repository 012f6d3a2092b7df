package dev.prefalign.operator;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * spec.runPolicy.ttlSecondsAfterFinished for the resource itself (the trainer Job carries its own copy): a finished
 * job is deleted once status.completionTime plus the TTL has passed. The moment is derived from the stored status
 * only, so a restarted operator deletes on time, and deleting twice is harmless.
 */
final class FinishedJobExpiry {

    private static final Logger LOG = Logger.getLogger(FinishedJobExpiry.class);

    private FinishedJobExpiry() {
    }

    /**
     * How long until the finished job is to be deleted (zero: now); empty when it is not finished, has no TTL, or
     * its completion time cannot be read.
     */
    static Optional<Duration> remaining(PreferenceAlignmentJobSpec spec, PreferenceAlignmentJobStatus status,
            Instant now) {
        Long ttl = spec.getRunPolicy() == null ? null : spec.getRunPolicy().getTtlSecondsAfterFinished();
        if (ttl == null || status.getPhase() == null || !status.getPhase().isTerminal()
                || status.getCompletionTime() == null) {
            return Optional.empty();
        }
        Optional<Instant> completed = Timestamps.parse(status.getCompletionTime());
        if (completed.isEmpty()) {
            LOG.warnf("status.completionTime %s is not an RFC 3339 time: ttlSecondsAfterFinished not applied",
                    status.getCompletionTime());
            return Optional.empty();
        }
        Duration left = Duration.between(now, completed.get().plusSeconds(ttl));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** Deletes the resource; its children go with it through their owner references. */
    static void delete(PreferenceAlignmentJob resource, PreferenceAlignmentJobStatus status,
            KubernetesClient client) {
        LOG.infof("deleting %s/%s: finished at %s, ttlSecondsAfterFinished %d has passed",
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), status.getCompletionTime(),
                resource.getSpec().getRunPolicy().getTtlSecondsAfterFinished());
        // Already gone (a person, or an earlier reconcile) is fine: the delete is simply a no-op then.
        client.resource(resource).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
}
