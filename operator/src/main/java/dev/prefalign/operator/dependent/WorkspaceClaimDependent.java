package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.operator.scheduling.SchedulingMode;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import jakarta.inject.Inject;

/**
 * The job's PersistentVolumeClaim. Create-only: a claim's spec is immutable but for growing, and it holds the
 * checkpoints, so the operator never rewrites or deletes it; it goes with the resource (owner reference).
 */
@KubernetesDependent(informer = @Informer(labelSelector = ChildResources.MANAGED_SELECTOR))
public class WorkspaceClaimDependent
        extends KubernetesDependentResource<PersistentVolumeClaim, PreferenceAlignmentJob>
        implements Creator<PersistentVolumeClaim, PreferenceAlignmentJob>, GarbageCollected<PreferenceAlignmentJob> {

    @Inject
    OperatorConfig config;

    public WorkspaceClaimDependent() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        return WorkspaceClaims.desired(job, ChildSettings.from(config, SchedulingMode.NONE));
    }
}
