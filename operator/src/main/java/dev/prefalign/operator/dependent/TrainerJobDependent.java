package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.operator.scheduling.Scheduling;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import jakarta.inject.Inject;

/**
 * The trainer's batch/v1 Job. Create-only but for spec.suspend (see {@link SuspendPolicy}): a Job's Pod template is
 * immutable, and a running training is not restarted because its resource was edited.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ChildResources.MANAGED_SELECTOR))
public class TrainerJobDependent extends KubernetesDependentResource<Job, PreferenceAlignmentJob>
        implements Creator<Job, PreferenceAlignmentJob>, Updater<Job, PreferenceAlignmentJob>,
        GarbageCollected<PreferenceAlignmentJob> {

    @Inject
    OperatorConfig config;

    @Inject
    Scheduling scheduling;

    public TrainerJobDependent() {
        super(Job.class);
    }

    @Override
    protected Job desired(PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        return TrainerJobs.desired(job, ChildSettings.from(config, scheduling.mode()));
    }

    /** Only spec.suspend is compared: every other difference is an edit the running Job does not take. */
    @Override
    public Result<Job> match(Job actual, PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        return Result.nonComputed(SuspendPolicy.satisfied(job, actual, scheduling.mode()));
    }

    @Override
    public Job update(Job actual, Job desired, PreferenceAlignmentJob job, Context<PreferenceAlignmentJob> context) {
        boolean suspend = SuspendPolicy.wanted(job, actual, scheduling.mode()).orElse(Boolean.TRUE.equals(actual.getSpec().getSuspend()));
        return context.getClient().resource(actual).edit(current -> {
            current.getSpec().setSuspend(suspend);
            return current;
        });
    }
}
