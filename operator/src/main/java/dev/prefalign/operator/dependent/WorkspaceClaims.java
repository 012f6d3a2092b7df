package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** The job's own volume (download cache, checkpoints, final model), when spec.storage.existingClaim is empty. */
public final class WorkspaceClaims {

    private WorkspaceClaims() {
    }

    public static PersistentVolumeClaim desired(PreferenceAlignmentJob job, ChildSettings settings) {
        StorageSpec storage = job.getSpec().getStorage();
        String storageClass = storage.getStorageClassName() != null && !storage.getStorageClassName().isBlank()
                ? storage.getStorageClassName()
                : settings.defaultStorageClass().orElse(null); // null: the cluster's default class
        return new PersistentVolumeClaimBuilder()
                .withMetadata(ChildResources.metadata(job, ChildResources.claimName(job), "workspace"))
                .withNewSpec()
                // One trainer Pod at a time writes it (the Job replaces a Pod only after it has ended).
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withNewResources()
                .addToRequests("storage", new Quantity(storage.getSize()))
                .endResources()
                .endSpec()
                .build();
    }
}
