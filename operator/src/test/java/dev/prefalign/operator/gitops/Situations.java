package dev.prefalign.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import dev.prefalign.operator.TestJobs;
import dev.prefalign.operator.dependent.ChildResources;
import dev.prefalign.operator.dependent.ChildSettings;
import dev.prefalign.operator.dependent.TrainerJobs;
import dev.prefalign.operator.status.Observation;
import dev.prefalign.operator.status.StatusCalculator;
import dev.prefalign.operator.status.TrainerJson.Checkpoint;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PreferenceAlignmentJobs in each situation of their lifecycle, with the status the operator's real
 * {@link StatusCalculator} writes, as the JSON the API server stores (so GitOps tools see the same shape).
 */
final class Situations {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SUCCEEDED_SUMMARY = """
            {"name":"j","method":"DPO","state":"Succeeded","steps":8,"totalSteps":8,"seconds":42.4,
             "tokensPerSecond":455.5,"metrics":{"loss":0.61},"evalMetrics":{},
             "checkpoints":[{"step":8,"path":"/workspace/checkpoints/step-0000008","time":"2025-03-01T12:04:00Z"}],
             "outputPath":"/workspace/output","skippedSteps":0}""";

    private Situations() {
    }

    /** A job as applied, before the operator has seen it: no status at all. */
    static PreferenceAlignmentJob applied() {
        PreferenceAlignmentJob job = TestJobs.dpo("j", "ns");
        job.getMetadata().setGeneration(1L);
        job.getMetadata().setUid("uid-1");
        return job;
    }

    static PreferenceAlignmentJob creating() {
        return observe(applied(), Optional.empty(), List.of(), Optional.empty());
    }

    /** maxPromptLength >= maxLength: SpecValidator rejects it, nothing is created. */
    static PreferenceAlignmentJob invalidSpec() {
        PreferenceAlignmentJob resource = applied();
        resource.getSpec().getTraining().setMaxPromptLength(2048);
        return observe(resource, Optional.empty(), List.of(), Optional.empty());
    }

    static PreferenceAlignmentJob waitingForKueue() {
        PreferenceAlignmentJob resource = applied();
        Job held = job(resource);
        held.getSpec().setSuspend(true);
        return observe(resource, Optional.of(held), List.of(), Optional.empty());
    }

    static PreferenceAlignmentJob fetching() {
        PreferenceAlignmentJob resource = applied();
        Pod pod = pod("p1").withNewStatus().withPhase("Pending").withStartTime("2025-03-01T12:00:30Z")
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName(ChildResources.FETCH_CONTAINER)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
        return observe(resource, Optional.of(job(resource)), List.of(pod), Optional.empty());
    }

    /** Step 3 of 8, with a checkpoint at step 2. */
    static PreferenceAlignmentJob training() {
        PreferenceAlignmentJob resource = applied();
        TrainerReport report = new TrainerReport("training", null, 3, 8, 0.75, 37.5, 11.0, 454.5,
                "2025-03-01T12:00:06Z", Map.of("loss", 0.66), Map.of(),
                List.of(new Checkpoint(2, "/workspace/checkpoints/step-0000002", "2025-03-01T12:00:05Z")));
        return observe(resource, Optional.of(job(resource)), List.of(running("p1")), Optional.of(report));
    }

    /** An edit broke the spec of a running job: the Job keeps running the spec it was created with. */
    static PreferenceAlignmentJob trainingWithABrokenEdit() {
        PreferenceAlignmentJob resource = training();
        resource.getMetadata().setGeneration(2L);
        resource.getSpec().getTraining().setMaxPromptLength(2048);
        return observe(resource, Optional.of(job(resource)), List.of(running("p1")), Optional.empty());
    }

    static PreferenceAlignmentJob suspended() {
        PreferenceAlignmentJob resource = training();
        resource.getMetadata().setGeneration(2L);
        resource.getSpec().getRunPolicy().setSuspend(true);
        return observe(resource, Optional.of(job(resource)), List.of(running("p1")), Optional.empty());
    }

    static PreferenceAlignmentJob succeeded() {
        PreferenceAlignmentJob resource = applied();
        Job job = withCondition(job(resource), "Complete", "CompletionsReached");
        return observe(resource, Optional.of(job), List.of(ended("p1", 0, SUCCEEDED_SUMMARY)), Optional.empty());
    }

    /** Succeeded, then ttlSecondsAfterFinished removed the Job: the status keeps the result. */
    static PreferenceAlignmentJob succeededAndJobDeleted() {
        return observe(succeeded(), Optional.empty(), List.of(), Optional.empty());
    }

    static PreferenceAlignmentJob backoffLimitExceeded() {
        PreferenceAlignmentJob resource = applied();
        Job job = withCondition(job(resource), "Failed", "BackoffLimitExceeded");
        return observe(resource, Optional.of(job), List.of(ended("p1", 1, "CUDA error: out of memory")),
                Optional.empty());
    }

    /** The trainer exited with code 2: bad input, no retry helps. */
    static PreferenceAlignmentJob invalidInput() {
        PreferenceAlignmentJob resource = applied();
        Job job = withCondition(job(resource), "Failed", "PodFailurePolicy");
        return observe(resource, Optional.of(job),
                List.of(ended("p1", 2, "error: dataset row 12 has no 'chosen' column")), Optional.empty());
    }

    /** The user edited the spec after the operator wrote the status: metadata.generation is one ahead. */
    static PreferenceAlignmentJob editedSinceLastStatus(PreferenceAlignmentJob observed) {
        observed.getMetadata().setGeneration(observed.getStatus().getObservedGeneration() + 1);
        return observed;
    }

    /** The object as JSON, as the API server returns it (and as Argo CD and kstatus read it). */
    static JsonNode json(PreferenceAlignmentJob resource) {
        try {
            return JSON.readTree(SERIALIZATION.asJson(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("serialising " + resource.getMetadata().getName(), e);
        }
    }

    private static PreferenceAlignmentJob observe(PreferenceAlignmentJob resource, Optional<Job> job, List<Pod> pods,
            Optional<TrainerReport> report) {
        resource.setStatus(StatusCalculator.compute(new Observation(resource,
                SpecValidator.validate(resource.getSpec()), job, pods, report, T0)));
        return resource;
    }

    private static Job job(PreferenceAlignmentJob resource) {
        Job job = TrainerJobs.desired(resource, new ChildSettings("img", 30, 1000, Optional.empty()));
        job.getMetadata().setUid("job-uid");
        return job;
    }

    private static Job withCondition(Job job, String type, String reason) {
        job.setStatus(new JobStatusBuilder()
                .addToConditions(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                        .withLastTransitionTime("2025-03-01T12:04:30Z").build())
                .withCompletionTime("Complete".equals(type) ? "2025-03-01T12:04:30Z" : null)
                .build());
        return job;
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("ns")
                .withCreationTimestamp("2025-03-01T12:00:01Z").endMetadata()
                .withNewSpec().addNewContainer().withName(ChildResources.TRAINER_CONTAINER).endContainer().endSpec();
    }

    private static Pod running(String name) {
        return pod(name).withNewStatus().withPhase("Running").withPodIP("10.0.0.7")
                .withStartTime("2025-03-01T12:00:01Z")
                .addToContainerStatuses(new ContainerStatusBuilder().withName(ChildResources.TRAINER_CONTAINER)
                        .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
    }

    private static Pod ended(String name, int exitCode, String terminationMessage) {
        ContainerStatus trainer = new ContainerStatusBuilder().withName(ChildResources.TRAINER_CONTAINER)
                .withRestartCount(0).withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error").withMessage(terminationMessage)
                .endTerminated().endState().build();
        return pod(name).withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withStartTime("2025-03-01T12:00:01Z").addToContainerStatuses(trainer).endStatus().build();
    }
}
