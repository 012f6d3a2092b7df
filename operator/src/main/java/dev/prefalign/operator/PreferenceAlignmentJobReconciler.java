package dev.prefalign.operator;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import dev.prefalign.operator.dependent.ChildResources;
import dev.prefalign.operator.dependent.JobConfigMapDependent;
import dev.prefalign.operator.dependent.OwnClaimWanted;
import dev.prefalign.operator.dependent.SpecChanges;
import dev.prefalign.operator.dependent.SpecIsValid;
import dev.prefalign.operator.dependent.StorageClasses;
import dev.prefalign.operator.dependent.TrainerJobDependent;
import dev.prefalign.operator.dependent.TrainerJobWanted;
import dev.prefalign.operator.dependent.WorkspaceClaimDependent;
import dev.prefalign.operator.metrics.OperatorMetrics;
import dev.prefalign.operator.scheduling.GpuAdmission;
import dev.prefalign.operator.scheduling.KueueWorkloads;
import dev.prefalign.operator.scheduling.Scheduling;
import dev.prefalign.operator.status.Observation;
import dev.prefalign.operator.status.QueueSlot;
import dev.prefalign.operator.status.StatusCalculator;
import dev.prefalign.operator.status.StatusEvents;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import dev.prefalign.operator.status.TrainerPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs a PreferenceAlignmentJob: the workflow creates its claim, ConfigMap and trainer Job (nothing while the spec is
 * invalid), then {@link #reconcile} derives the status from the Job, its Pods and the trainer's own report.
 */
@ControllerConfiguration(name = PreferenceAlignmentJobReconciler.NAME)
@Workflow(dependents = {
    @Dependent(name = "workspace", type = WorkspaceClaimDependent.class, reconcilePrecondition = OwnClaimWanted.class),
    @Dependent(name = "config", type = JobConfigMapDependent.class, reconcilePrecondition = SpecIsValid.class),
    @Dependent(name = "trainer", type = TrainerJobDependent.class, dependsOn = "config",
            reconcilePrecondition = TrainerJobWanted.class)
})
@RBACRule(apiGroups = "", resources = "pods", verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "", resources = "events", verbs = {"create"})
@RBACRule(apiGroups = "storage.k8s.io", resources = "storageclasses", verbs = {"get"})
@RBACRule(apiGroups = "scheduling.k8s.io", resources = "priorityclasses", verbs = {"list"})
@RBACRule(apiGroups = "kueue.x-k8s.io", resources = "workloads", verbs = {"list"})
public class PreferenceAlignmentJobReconciler implements ConfigurableReconciler<PreferenceAlignmentJob> {

    public static final String NAME = "preferencealignmentjob";
    static final String PODS = "trainer-pods";

    private final OperatorConfig config;
    private final TrainerStatusClient trainerStatus;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Scheduling scheduling;
    private final GpuAdmission admission;

    public PreferenceAlignmentJobReconciler(OperatorConfig config, TrainerStatusClient trainerStatus,
            EventRecorder events, OperatorMetrics metrics, Scheduling scheduling, GpuAdmission admission) {
        this.config = config;
        this.trainerStatus = trainerStatus;
        this.events = events;
        this.metrics = metrics;
        this.scheduling = scheduling;
        this.admission = admission;
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<PreferenceAlignmentJob> overrider) {
        config.watchedNamespaces().filter(n -> !n.isEmpty()).ifPresent(overrider::settingNamespaces);
    }

    /** The trainer Pods are watched too (by their job label): their states and termination messages feed the status. */
    @Override
    public List<EventSource<?, PreferenceAlignmentJob>> prepareEventSources(
            EventSourceContext<PreferenceAlignmentJob> context) {
        InformerEventSourceConfiguration<Pod> pods = InformerEventSourceConfiguration
                .from(Pod.class, PreferenceAlignmentJob.class)
                .withName(PODS)
                .withLabelSelector(ChildResources.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(pod -> {
                    String owner = pod.getMetadata().getLabels().get(ChildResources.JOB_LABEL);
                    return owner == null ? Set.of() : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
                })
                .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<PreferenceAlignmentJob> reconcile(PreferenceAlignmentJob resource,
            Context<PreferenceAlignmentJob> context) {
        metrics.watch(context);
        Optional<Job> job = context.getSecondaryResource(Job.class);
        List<Pod> pods = job.isEmpty() ? List.of() : context.getSecondaryResources(Pod.class).stream()
                .filter(p -> ownedBy(p, job.get())).toList();
        Optional<TrainerReport> report = TrainerPods.active(pods)
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .flatMap(trainerStatus::read);
        Instant now = Instant.now();
        Optional<String> missingClass = job.isPresent() ? Optional.empty()
                : StorageClasses.missingBeforeClaim(resource, context);
        Optional<ConfigMap> applied = job.isEmpty() ? Optional.empty() : context.getSecondaryResource(ConfigMap.class);
        QueueSlot slot = job.map(j -> queueSlot(resource, j, context)).orElse(null);
        UnaryOperator<PreferenceAlignmentJob> withStatus = current -> StatusCopies.withStatus(current,
                StatusCalculator.compute(new Observation(current, SpecValidator.validate(current.getSpec()), job,
                        pods, report, now, missingClass,
                        applied.map(c -> SpecChanges.sinceCreated(c, current)).orElse(List.of()),
                        Optional.ofNullable(slot))),
                PreferenceAlignmentJob::new);

        PreferenceAlignmentJobStatus status = withStatus.apply(resource).getStatus();
        if (!status.equals(resource.getStatus())) {
            metrics.observe(resource, resource.getStatus(), status, now);
            StatusEvents.between(resource.getStatus(), status).ifPresent(note -> events.record(resource, note));
            // The whole status is replaced under optimistic locking and cached for the next reconcile: a patch
            // computed against a stale cached copy could duplicate list entries. On a conflict the status is
            // derived again from the fresh resource.
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, withStatus);
        }
        UpdateControl<PreferenceAlignmentJob> control = UpdateControl.noUpdate();
        Optional<Duration> untilExpiry = FinishedJobExpiry.remaining(resource.getSpec(), status, now);
        if (untilExpiry.isPresent()) {
            if (untilExpiry.get().isZero()) {
                FinishedJobExpiry.delete(resource, status, context.getClient());
            } else {
                control.rescheduleAfter(untilExpiry.get());
            }
            return control;
        }
        // A trainer's progress arrives by polling, not by events: come back while it runs. StorageClasses are not
        // watched either: come back to see whether the missing one was created.
        // Queued jobs too: a queue position moves when other jobs are admitted, which sends this one no event.
        if (status.getPhase() == Phase.Running || status.getPhase() == Phase.Initializing
                || status.getPhase() == Phase.Queued || missingClass.isPresent()) {
            control.rescheduleAfter(config.statusPollInterval());
        }
        return control;
    }

    /**
     * What the scheduler says about the Job while it is held back. Under the operator's budgets that is an admission
     * pass over all jobs (which may release this Job or others); a Job that has just ended runs one too, to hand its
     * GPUs on. A released, running Job needs none. Under Kueue, it is its Workload's reason.
     */
    private QueueSlot queueSlot(PreferenceAlignmentJob resource, Job job, Context<PreferenceAlignmentJob> context) {
        boolean heldBack = Boolean.TRUE.equals(job.getSpec().getSuspend());
        return switch (scheduling.mode()) {
            case BUDGETS -> heldBack || StatusCalculator.jobEnded(job)
                    ? admission.pass(resource, context).orElse(null) : null;
            case KUEUE -> heldBack
                    ? KueueWorkloads.reason(context.getClient(), job).map(QueueSlot::kueue).orElse(null) : null;
            default -> null;
        };
    }

    /** Pods of an earlier Job of the same name (deleted, then recreated) are not this Job's. */
    private static boolean ownedBy(Pod pod, Job job) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null || owners.isEmpty()
                || owners.stream().anyMatch(o -> o.getUid() != null && o.getUid().equals(job.getMetadata().getUid()));
    }
}
