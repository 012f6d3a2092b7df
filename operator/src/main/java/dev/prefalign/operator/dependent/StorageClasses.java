package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A claim's storageClassName cannot be changed once the claim exists, and a claim of a class the cluster lacks stays
 * Pending forever: so the class a job names is checked before its claim is created, and the job waits (Stalled) for
 * the user to create the class or fix the field.
 */
public final class StorageClasses {
    private static final Logger LOG = Logger.getLogger(StorageClasses.class);

    private StorageClasses() {
    }

    /**
     * The class named in spec.storage.storageClassName, when the operator is about to create the job's claim and the
     * cluster has no such class. Empty when the claim exists already, the job names no class or uses an existing
     * claim, or the operator may not read storage classes (then it cannot tell, and creates the claim as asked).
     */
    public static Optional<String> missingBeforeClaim(PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        if (!ChildResources.createsOwnClaim(job)
                || context.getSecondaryResource(PersistentVolumeClaim.class).isPresent()) {
            return Optional.empty();
        }
        return missing(job, context.getClient());
    }

    static Optional<String> missing(PreferenceAlignmentJob job, KubernetesClient client) {
        String name = job.getSpec().getStorage().getStorageClassName();
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        try {
            return client.storage().v1().storageClasses().withName(name).get() == null ? Optional.of(name)
                    : Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                LOG.debugf("may not read StorageClass %s; creating the claim without checking it", name);
                return Optional.empty();
            }
            throw e;
        }
    }
}
