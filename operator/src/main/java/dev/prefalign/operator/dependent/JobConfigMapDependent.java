package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The resolved spec the trainer reads. Create-only, like the Job it belongs to: a restarted trainer Pod resumes
 * checkpoints written under this spec, so rewriting it under a running Job would resume them into another run.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ChildResources.MANAGED_SELECTOR))
public class JobConfigMapDependent extends KubernetesDependentResource<ConfigMap, PreferenceAlignmentJob>
        implements Creator<ConfigMap, PreferenceAlignmentJob>, GarbageCollected<PreferenceAlignmentJob> {

    public JobConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        return JobConfigMaps.desired(job);
    }
}
