package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Objects;

/**
 * The resolved spec the trainer reads. Frozen once the trainer Job exists: a restarted trainer Pod resumes
 * checkpoints written under this spec, so rewriting it under a running Job would resume them into another run (edits
 * made after that are reported by {@link SpecChanges}). Before that (a job waiting for its StorageClass, say) it
 * follows the spec, so the Job starts with the spec as last edited.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ChildResources.MANAGED_SELECTOR))
public class JobConfigMapDependent extends KubernetesDependentResource<ConfigMap, PreferenceAlignmentJob>
        implements Creator<ConfigMap, PreferenceAlignmentJob>, Updater<ConfigMap, PreferenceAlignmentJob>,
        GarbageCollected<PreferenceAlignmentJob> {

    public JobConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        return JobConfigMaps.desired(job);
    }

    @Override
    public Result<ConfigMap> match(ConfigMap actual, PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        if (context.getSecondaryResource(Job.class).isPresent()) {
            return Result.nonComputed(true);
        }
        ConfigMap desired = desired(job, context);
        return Result.computed(Objects.equals(actual.getData(), desired.getData()), desired);
    }
}
