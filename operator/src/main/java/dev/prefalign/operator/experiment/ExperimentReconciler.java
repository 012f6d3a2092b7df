package dev.prefalign.operator.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentExperimentStatus;
import dev.prefalign.operator.EventRecorder;
import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.operator.StatusCopies;
import dev.prefalign.operator.status.ConditionTypes;
import dev.prefalign.operator.status.Conditions;
import dev.prefalign.operator.status.StatusEvents.Note;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs a PreferenceAlignmentExperiment: expands it into runs with the planner {@code compare} uses, creates one
 * PreferenceAlignmentJob per run (never more than {@code spec.maxConcurrent} unfinished at once, in plan order), and
 * collects the jobs' results into its status. The jobs themselves are run by the PreferenceAlignmentJob controller.
 */
@ControllerConfiguration(name = ExperimentReconciler.NAME)
@RBACRule(apiGroups = "prefalign.dev", resources = "preferencealignmentjobs", verbs = {"create"})
@RBACRule(apiGroups = "", resources = "events", verbs = {"create"})
public class ExperimentReconciler implements ConfigurableReconciler<PreferenceAlignmentExperiment> {

    public static final String NAME = "preferencealignmentexperiment";

    private final OperatorConfig config;
    private final EventRecorder events;

    public ExperimentReconciler(OperatorConfig config, EventRecorder events) {
        this.config = config;
        this.events = events;
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<PreferenceAlignmentExperiment> overrider) {
        config.watchedNamespaces().filter(n -> !n.isEmpty()).ifPresent(overrider::settingNamespaces);
    }

    /** A run's job changing phase (or appearing, or being deleted) is what moves the experiment on. */
    @Override
    public List<EventSource<?, PreferenceAlignmentExperiment>> prepareEventSources(
            EventSourceContext<PreferenceAlignmentExperiment> context) {
        InformerEventSourceConfiguration<PreferenceAlignmentJob> runs = InformerEventSourceConfiguration
                .from(PreferenceAlignmentJob.class, PreferenceAlignmentExperiment.class)
                .withName("experiment-runs")
                .withLabelSelector(PreferenceAlignmentExperiment.LABEL)
                .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(
                        job.getMetadata().getLabels().get(PreferenceAlignmentExperiment.LABEL),
                        job.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(runs, context));
    }

    @Override
    public UpdateControl<PreferenceAlignmentExperiment> reconcile(PreferenceAlignmentExperiment experiment,
            Context<PreferenceAlignmentExperiment> context) {
        ExperimentPlans.Outcome outcome = ExperimentPlans.of(experiment);
        Map<String, PreferenceAlignmentJob> jobs = jobsOf(experiment, context);
        if (outcome.valid()) {
            for (PlannedRun run : RunAdmission.next(outcome.plan().runs(), jobs,
                    experiment.getSpec().getMaxConcurrent())) {
                PreferenceAlignmentJob job = create(experiment, run, context);
                if (job != null) {
                    jobs.put(run.name(), job);
                }
            }
        }
        Instant now = Instant.now();
        UnaryOperator<PreferenceAlignmentExperiment> withStatus = current -> StatusCopies.withStatus(current,
                ExperimentResults.compute(current, outcome, jobs, now), PreferenceAlignmentExperiment::new);
        PreferenceAlignmentExperimentStatus status = withStatus.apply(experiment).getStatus();
        if (!status.equals(experiment.getStatus())) {
            note(experiment.getStatus(), status).ifPresent(n -> events.record(experiment, n));
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(experiment, context, withStatus);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * The experiment's jobs, read from the API server rather than the informer's cache: a job created a moment ago
     * must count against maxConcurrent even before its watch event arrives, or a slot would be given twice.
     */
    private static Map<String, PreferenceAlignmentJob> jobsOf(PreferenceAlignmentExperiment experiment,
            Context<PreferenceAlignmentExperiment> context) {
        Map<String, PreferenceAlignmentJob> jobs = new LinkedHashMap<>();
        context.getClient().resources(PreferenceAlignmentJob.class)
                .inNamespace(experiment.getMetadata().getNamespace())
                .withLabel(PreferenceAlignmentExperiment.LABEL, experiment.getMetadata().getName())
                .list().getItems().stream()
                .filter(job -> RunJobs.ownedBy(job, experiment))
                .forEach(job -> jobs.put(job.getMetadata().getName(), job));
        return jobs;
    }

    private PreferenceAlignmentJob create(PreferenceAlignmentExperiment experiment, PlannedRun run,
            Context<PreferenceAlignmentExperiment> context) {
        PreferenceAlignmentJob desired = RunJobs.desired(experiment, run);
        try {
            PreferenceAlignmentJob created = context.getClient().resource(desired).create();
            events.record(experiment, new Note("Normal", "RunCreated", "Created PreferenceAlignmentJob "
                    + run.name() + " (" + run.description() + ")."));
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Made a moment ago by this experiment, or a job of someone else's that is never replaced.
            PreferenceAlignmentJob existing = context.getClient().resource(desired).get();
            if (existing != null && RunJobs.ownedBy(existing, experiment)) {
                return existing;
            }
            events.record(experiment, new Note("Warning", "RunNameTaken", "A PreferenceAlignmentJob named "
                    + run.name() + " exists and does not belong to this experiment, so run " + run.name()
                    + " cannot start; delete that job or rename the experiment."));
            return null;
        }
    }

    /** An Event for a new reason to be stalled, and one when the experiment ends. */
    private static Optional<Note> note(PreferenceAlignmentExperimentStatus before,
            PreferenceAlignmentExperimentStatus after) {
        boolean unchanged = before != null && Objects.equals(before.getMessage(), after.getMessage())
                && before.getPhase() == after.getPhase();
        if (unchanged) {
            return Optional.empty();
        }
        Optional<Condition> stalled = Conditions.find(after.getConditions(), ConditionTypes.STALLED)
                .filter(c -> "True".equals(c.getStatus()));
        if (stalled.isPresent()) {
            return Optional.of(new Note("Warning", stalled.get().getReason(), after.getMessage()));
        }
        Phase was = before == null ? null : before.getPhase();
        return after.getPhase() != was && after.getPhase().isTerminal()
                ? Optional.of(new Note("Normal", after.getPhase().name(), after.getMessage()))
                : Optional.empty();
    }
}
