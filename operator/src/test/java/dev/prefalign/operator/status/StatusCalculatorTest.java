package dev.prefalign.operator.status;

import static dev.prefalign.operator.status.ClusterObjects.ended;
import static dev.prefalign.operator.status.ClusterObjects.fetchFailed;
import static dev.prefalign.operator.status.ClusterObjects.fetching;
import static dev.prefalign.operator.status.ClusterObjects.job;
import static dev.prefalign.operator.status.ClusterObjects.running;
import static dev.prefalign.operator.status.ClusterObjects.unschedulable;
import static dev.prefalign.operator.status.ClusterObjects.waiting;
import static dev.prefalign.operator.status.ClusterObjects.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.CheckpointRef;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import dev.prefalign.operator.TestJobs;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant T1 = Instant.parse("2025-03-01T12:05:00Z");

    private static final String SUMMARY = """
            {"name":"j","method":"DPO","state":"Succeeded","steps":8,"totalSteps":8,"seconds":42.4,
             "tokensPerSecond":455.5,"metrics":{"loss":0.61,"rewards/accuracies":0.75,"rewards/margins":null},
             "evalMetrics":{"eval_loss":0.64},
             "checkpoints":[{"step":8,"path":"/workspace/checkpoints/step-0000008","time":"2025-03-01T12:04:00Z"}],
             "outputPath":"/workspace/output","skippedSteps":0}""";

    private static PreferenceAlignmentJob resource() {
        PreferenceAlignmentJob job = TestJobs.dpo("j", "ns");
        job.getMetadata().setGeneration(3L);
        job.getMetadata().setUid("uid-1");
        return job;
    }

    private static PreferenceAlignmentJobStatus compute(PreferenceAlignmentJob resource, Optional<Job> job,
            List<Pod> pods, Optional<TrainerReport> report, Instant now) {
        return StatusCalculator.compute(new Observation(resource, SpecValidator.validate(resource.getSpec()), job,
                pods, report, now));
    }

    private static PreferenceAlignmentJobStatus compute(PreferenceAlignmentJob resource, Job job, Pod... pods) {
        return compute(resource, Optional.of(job), List.of(pods), Optional.empty(), T0);
    }

    private static Condition condition(PreferenceAlignmentJobStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static TrainerReport report(String phase, long step, List<TrainerJson.Checkpoint> checkpoints) {
        return new TrainerReport(phase, null, step, 8, step / 4.0, 100.0 * step / 8, 11.0, 454.5,
                "2025-03-01T12:00:06.600Z", Map.of("loss", 0.66, "grad_norm", 1.5),
                Map.of("eval_loss", 0.6), checkpoints);
    }

    @Test
    void aNewValidJobIsPendingWithAllConditionsAtItsGeneration() {
        PreferenceAlignmentJobStatus status = compute(resource(), Optional.empty(), List.of(), Optional.empty(), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Pending);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("Ready", "Reconciling",
                "Stalled", "Succeeded", "Failed", "Suspended", "CheckpointSaved");
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-03-01T12:00:00Z");
            assertThat(c.getReason()).matches("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
        });
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void anInvalidSpecStallsWithTheValidatorsSentence() {
        PreferenceAlignmentJob resource = resource();
        resource.getSpec().getTraining().setMaxPromptLength(2048);
        PreferenceAlignmentJobStatus status = compute(resource, Optional.empty(), List.of(), Optional.empty(), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Pending);
        Condition stalled = condition(status, "Stalled");
        assertThat(stalled.getStatus()).isEqualTo("True");
        assertThat(stalled.getReason()).isEqualTo("InvalidSpec");
        assertThat(stalled.getMessage()).contains("nothing was created")
                .contains("spec.training.maxPromptLength (2048) must be less than spec.training.maxLength (1024)");
        assertThat(status.getMessage()).isEqualTo(stalled.getMessage());
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
    }

    @Test
    void anEditThatBreaksTheSpecOfARunningJobStallsButKeepsItsPhase() {
        PreferenceAlignmentJob resource = resource();
        resource.getSpec().getTraining().setMaxPromptLength(2048);
        PreferenceAlignmentJobStatus status = compute(resource, Optional.of(job(resource)),
                List.of(running("p1", 10)), Optional.of(report("training", 3, List.of())), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Running);
        assertThat(condition(status, "Stalled").getMessage()).contains("keeps the spec it was created with");
    }

    @Test
    void anEditAfterTheJobWasCreatedStallsANonFinishedJobButKeepsItsPhase() {
        PreferenceAlignmentJob resource = resource();
        Observation edited = new Observation(resource, List.of(), Optional.of(job(resource)),
                List.of(running("p1", 10)), Optional.of(report("training", 3, List.of())), T0)
                .withIgnoredSpecChanges(List.of("spec.training", "spec.image"));
        PreferenceAlignmentJobStatus status = StatusCalculator.compute(edited);
        assertThat(status.getPhase()).isEqualTo(Phase.Running);
        Condition stalled = condition(status, "Stalled");
        assertThat(stalled.getStatus()).isEqualTo("True");
        assertThat(stalled.getReason()).isEqualTo("SpecChangedAfterStart");
        assertThat(stalled.getMessage()).startsWith("spec.training, spec.image changed after the trainer Job was "
                + "created").contains("create a new PreferenceAlignmentJob");
        assertThat(status.getProgress().getStep()).isEqualTo(3);

        Job finished = withCondition(job(resource), "Complete", "Completed", "2025-03-01T12:04:30Z");
        PreferenceAlignmentJobStatus done = StatusCalculator.compute(new Observation(resource, List.of(),
                Optional.of(finished), List.of(), Optional.empty(), T0)
                .withIgnoredSpecChanges(List.of("spec.training")));
        assertThat(done.getPhase()).isEqualTo(Phase.Succeeded);
        assertThat(condition(done, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void waitsForThePodForKueueAndForResources() {
        PreferenceAlignmentJob resource = resource();
        assertThat(compute(resource, job(resource)).getPhase()).isEqualTo(Phase.Queued);

        Job held = job(resource);
        held.getSpec().setSuspend(true); // Kueue's webhook suspends it until its queue admits it
        PreferenceAlignmentJobStatus queued = compute(resource, held);
        assertThat(queued.getPhase()).isEqualTo(Phase.Queued);
        assertThat(queued.getMessage()).contains("Kueue").contains("team-a");
        assertThat(condition(queued, "Reconciling").getReason()).isEqualTo("WaitingForAdmission");

        PreferenceAlignmentJobStatus unschedulable = compute(resource, job(resource),
                unschedulable("p1", 1, "0/3 nodes are available: 3 Insufficient amd.com/gpu."));
        assertThat(unschedulable.getPhase()).isEqualTo(Phase.Queued);
        assertThat(unschedulable.getMessage()).isEqualTo("Waiting for resources: 0/3 nodes are available: 3 "
                + "Insufficient amd.com/gpu.");
    }

    @Test
    void anUnknownStorageClassStallsBeforeAnythingIsCreated() {
        PreferenceAlignmentJob resource = resource();
        PreferenceAlignmentJobStatus status = StatusCalculator.compute(new Observation(resource,
                SpecValidator.validate(resource.getSpec()), Optional.empty(), List.of(), Optional.empty(), T0,
                Optional.of("fast-ssd"), List.of(), Optional.empty()));
        assertThat(status.getPhase()).isEqualTo(Phase.Pending);
        assertThat(condition(status, "Stalled").getReason()).isEqualTo("UnknownStorageClass");
        assertThat(status.getMessage()).startsWith("StorageClass \"fast-ssd\" (spec.storage.storageClassName) does "
                + "not exist, so nothing was created");
    }

    @Test
    void aMissingSecretOrImageStallsUntilTheKubeletStartsThePod() {
        PreferenceAlignmentJob resource = resource();
        PreferenceAlignmentJobStatus noSecret = compute(resource, job(resource), waiting("p1", 1, "fetch", true,
                "CreateContainerConfigError", "secret \"hf-token\" not found"));
        assertThat(noSecret.getPhase()).isEqualTo(Phase.Initializing);
        Condition stalled = condition(noSecret, "Stalled");
        assertThat(stalled.getStatus()).isEqualTo("True");
        assertThat(stalled.getReason()).isEqualTo("ContainerConfigError");
        assertThat(stalled.getMessage()).contains("fetch container of Pod p1")
                .contains("secret \"hf-token\" not found").contains("spec.model.tokenSecretRef");
        assertThat(StatusEvents.between(null, noSecret)).hasValueSatisfying(note -> {
            assertThat(note.type()).isEqualTo("Warning");
            assertThat(note.reason()).isEqualTo("ContainerConfigError");
        });

        PreferenceAlignmentJobStatus badImage = compute(resource, job(resource), waiting("p1", 1, "trainer", false,
                "ImagePullBackOff", "Back-off pulling image \"registry.example/prefalign-trainer:nope\""));
        assertThat(condition(badImage, "Stalled").getReason()).isEqualTo("ImagePullFailed");
        assertThat(condition(badImage, "Stalled").getMessage()).contains("prefalign-trainer:nope").contains("spec.image");

        // Once the Secret exists the kubelet starts the Pod by itself, and the job is no longer stalled.
        PreferenceAlignmentJobStatus started = compute(resource, job(resource), fetching("p1", 1));
        assertThat(condition(started, "Stalled").getStatus()).isEqualTo("False");
        assertThat(started.getMessage()).contains("Downloading");
    }

    @Test
    void initializesWhileFetchingAndLoading() {
        PreferenceAlignmentJob resource = resource();
        PreferenceAlignmentJobStatus fetching = compute(resource, job(resource), fetching("p1", 1));
        assertThat(fetching.getPhase()).isEqualTo(Phase.Initializing);
        assertThat(fetching.getMessage()).contains("Downloading");
        assertThat(fetching.getStartTime()).isEqualTo("2025-03-01T12:00:30Z");

        PreferenceAlignmentJobStatus loading = compute(resource, Optional.of(job(resource)),
                List.of(running("p1", 1)), Optional.of(report("loading", 0, List.of())), T0);
        assertThat(loading.getPhase()).isEqualTo(Phase.Initializing);
        assertThat(loading.getMessage()).isEqualTo("The trainer is loading.");
    }

    @Test
    void runningCopiesTheTrainersProgressMetricsAndCheckpoints() {
        PreferenceAlignmentJob resource = resource();
        PreferenceAlignmentJobStatus status = compute(resource, Optional.of(job(resource)),
                List.of(running("p1", 1)), Optional.of(report("training", 2, List.of(new TrainerJson.Checkpoint(2,
                        "/workspace/checkpoints/step-0000002", "2025-03-01T12:00:06.400Z")))), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Running);
        assertThat(status.getMessage()).isEqualTo("Step 2 of 8 (25.0%).");
        assertThat(status.getProgress().getStep()).isEqualTo(2);
        assertThat(status.getProgress().getTotalSteps()).isEqualTo(8);
        assertThat(status.getProgress().getPercent()).isEqualTo(25.0);
        assertThat(status.getProgress().getEtaSeconds()).isEqualTo(11.0);
        assertThat(status.getProgress().getTokensPerSecond()).isEqualTo(454.5);
        assertThat(status.getProgress().getUpdatedAt()).isEqualTo("2025-03-01T12:00:06.600Z");
        assertThat(status.getMetrics()).containsOnly(Map.entry("loss", 0.66), Map.entry("grad_norm", 1.5),
                Map.entry("eval_loss", 0.6));
        assertThat(status.getCheckpoints()).containsExactly(new CheckpointRef(2, "pvc://j/checkpoints/step-0000002",
                "2025-03-01T12:00:06.400Z"));
        assertThat(condition(status, "CheckpointSaved").getStatus()).isEqualTo("True");
        assertThat(condition(status, "CheckpointSaved").getMessage()).isEqualTo(
                "Step 2 at pvc://j/checkpoints/step-0000002");
    }

    @Test
    void anUnreachableTrainerKeepsWhatWasLastRead() {
        PreferenceAlignmentJob resource = resource();
        resource.setStatus(compute(resource, Optional.of(job(resource)), List.of(running("p1", 1)),
                Optional.of(report("training", 5, List.of())), T0));
        PreferenceAlignmentJobStatus later = compute(resource, Optional.of(job(resource)),
                List.of(running("p1", 1)), Optional.empty(), T1);
        assertThat(later.getPhase()).isEqualTo(Phase.Running);
        assertThat(later.getProgress()).isEqualTo(resource.getStatus().getProgress());
        assertThat(later.getMetrics()).isEqualTo(resource.getStatus().getMetrics());
    }

    @Test
    void succeedsWithTheSummarysMetricsAndOutputAsAPvcSource() {
        PreferenceAlignmentJob resource = resource();
        Job done = withCondition(job(resource), "Complete", "CompletionsReached", "2025-03-01T12:04:30Z");
        PreferenceAlignmentJobStatus status = compute(resource, done, ended("p1", 1, 0, SUMMARY));
        assertThat(status.getPhase()).isEqualTo(Phase.Succeeded);
        assertThat(status.getOutputPath()).isEqualTo("pvc://j/output");
        assertThat(status.getMessage()).isEqualTo("Trained 8 steps in 42 s; the model is at pvc://j/output.");
        assertThat(status.getMetrics()).containsOnly(Map.entry("loss", 0.61), Map.entry("rewards/accuracies", 0.75),
                Map.entry("eval_loss", 0.64));
        assertThat(status.getProgress().getPercent()).isEqualTo(100.0);
        assertThat(status.getProgress().getTokensPerSecond()).isEqualTo(455.5);
        assertThat(status.getCompletionTime()).isEqualTo("2025-03-01T12:04:30Z");
        assertThat(status.getCheckpoints()).extracting(CheckpointRef::getPath)
                .containsExactly("pvc://j/checkpoints/step-0000008");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Succeeded").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void badInputFailsWithTheTrainersErrorLine() {
        PreferenceAlignmentJob resource = resource();
        Job failed = withCondition(job(resource), "Failed", "PodFailurePolicy", "2025-03-01T12:01:00Z");
        String logTail = "INFO loading dataset\nerror: spec.dataset.source: no split train in "
                + "hf://datasets/trl-lib/ultrafeedback_binarized (splits: test)\n";
        PreferenceAlignmentJobStatus status = compute(resource, failed, ended("p1", 1, 2, logTail));
        assertThat(status.getPhase()).isEqualTo(Phase.Failed);
        assertThat(status.getMessage()).startsWith("The trainer stopped on bad input: error: spec.dataset.source: "
                + "no split train in hf://datasets/trl-lib/ultrafeedback_binarized (splits: test) "
                + "(container trainer, exit code 2).");
        assertThat(status.getCompletionTime()).isEqualTo("2025-03-01T12:01:00Z");
        assertThat(condition(status, "Failed").getReason()).isEqualTo("InvalidInput");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Stalled").getReason()).isEqualTo("InvalidInput");
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
    }

    @Test
    void aFetchThatRejectsItsInputFailsTheSameWay() {
        PreferenceAlignmentJob resource = resource();
        Job failed = withCondition(job(resource), "Failed", "PodFailurePolicy", "2025-03-01T12:01:00Z");
        PreferenceAlignmentJobStatus status = compute(resource, failed, fetchFailed("p1", 1, 2,
                "error: hf://HuggingFaceTB/SmolLM2-135M-Instruct is gated: give a token in spec.model.tokenSecretRef"));
        assertThat(status.getMessage()).contains("is gated").contains("container fetch, exit code 2");
    }

    @Test
    void crashesBeyondTheBackoffLimitAndDeadlinesFail() {
        PreferenceAlignmentJob resource = resource();
        Job crashed = withCondition(job(resource), "Failed", "BackoffLimitExceeded", "2025-03-01T12:03:00Z");
        PreferenceAlignmentJobStatus status = compute(resource, crashed, ended("p1", 1, 1, ""),
                ended("p2", 2, 137, "java.lang.OutOfMemoryError: Java heap space"));
        assertThat(status.getPhase()).isEqualTo(Phase.Failed);
        assertThat(condition(status, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(status.getMessage()).isEqualTo("The trainer failed 6 times (spec.runPolicy.backoffLimit is 5); "
                + "the last time: java.lang.OutOfMemoryError: Java heap space (container trainer, exit code 137).");
        assertThat(status.getRestarts()).isEqualTo(1);

        Job late = withCondition(job(resource), "Failed", "DeadlineExceeded", "2025-03-01T12:03:00Z");
        assertThat(compute(resource, late, running("p1", 1)).getMessage())
                .isEqualTo("The job ran longer than spec.runPolicy.activeDeadlineSeconds (86400 s).");
    }

    @Test
    void suspensionShowsAsSuspended() {
        PreferenceAlignmentJob resource = resource();
        resource.getSpec().getRunPolicy().setSuspend(true);
        Job job = job(resource);
        PreferenceAlignmentJobStatus status = compute(resource, job);
        assertThat(status.getPhase()).isEqualTo(Phase.Suspended);
        assertThat(condition(status, "Suspended").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
    }

    @Test
    void checkpointsAndRestartsAccumulateAcrossPods() {
        PreferenceAlignmentJob resource = resource(); // keeps 2 checkpoints
        String interrupted = """
                {"name":"j","method":"DPO","state":"Interrupted","steps":3,"totalSteps":8,"seconds":20,
                 "tokensPerSecond":400,"metrics":{"loss":0.68},"evalMetrics":{},
                 "checkpoints":[{"step":3,"path":"/workspace/checkpoints/step-0000003","time":"t3"},
                                {"step":2,"path":"/workspace/checkpoints/step-0000002","time":"t2"}],
                 "outputPath":null,"skippedSteps":0}""";
        Pod preempted = ended("p1", 1, 3, interrupted);
        PreferenceAlignmentJobStatus between = compute(resource, job(resource), preempted);
        assertThat(between.getPhase()).isEqualTo(Phase.Initializing);
        assertThat(between.getProgress().getStep()).isEqualTo(3);
        assertThat(between.getCheckpoints()).extracting(CheckpointRef::getStep).containsExactly(3L, 2L);
        resource.setStatus(between);

        PreferenceAlignmentJobStatus resumed = compute(resource, Optional.of(job(resource)),
                List.of(preempted, running("p2", 20)), Optional.of(report("training", 4,
                        List.of(new TrainerJson.Checkpoint(4, "/workspace/checkpoints/step-0000004", "t4")))), T1);
        assertThat(resumed.getCheckpoints()).extracting(CheckpointRef::getStep).containsExactly(4L, 3L);
        assertThat(resumed.getRestarts()).isEqualTo(1);
        assertThat(resumed.getStartTime()).isEqualTo("2025-03-01T12:00:01Z");
    }

    @Test
    void recomputingWithoutChangeMovesNoTimestamp() {
        PreferenceAlignmentJob resource = resource();
        Job job = job(resource);
        resource.setStatus(compute(resource, Optional.of(job), List.of(fetching("p1", 1)), Optional.empty(), T0));
        PreferenceAlignmentJobStatus again = compute(resource, Optional.of(job), List.of(fetching("p1", 1)),
                Optional.empty(), T1);
        assertThat(again).isEqualTo(resource.getStatus());

        PreferenceAlignmentJobStatus suspended;
        resource.getSpec().getRunPolicy().setSuspend(true);
        suspended = compute(resource, Optional.of(job), List.of(), Optional.empty(), T1);
        assertThat(condition(suspended, "Suspended").getLastTransitionTime()).isEqualTo("2025-03-01T12:05:00Z");
        assertThat(condition(suspended, "Reconciling").getLastTransitionTime()).isEqualTo("2025-03-01T12:05:00Z");
        assertThat(condition(suspended, "Ready").getLastTransitionTime()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(condition(suspended, "Failed").getLastTransitionTime()).isEqualTo("2025-03-01T12:00:00Z");
    }

    @Test
    void theEndStaysRecordedAfterTheJobIsDeleted() {
        PreferenceAlignmentJob resource = resource();
        Job done = withCondition(job(resource), "Complete", "CompletionsReached", "2025-03-01T12:04:30Z");
        resource.setStatus(compute(resource, done, ended("p1", 1, 0, SUMMARY)));
        PreferenceAlignmentJobStatus afterTtl = compute(resource, Optional.empty(), List.of(), Optional.empty(), T1);
        assertThat(afterTtl).isEqualTo(resource.getStatus());
    }

    @Test
    void eventsMarkPhaseChangesAndNewReasonsToStall() {
        PreferenceAlignmentJob resource = resource();
        PreferenceAlignmentJobStatus pending = compute(resource, Optional.empty(), List.of(), Optional.empty(), T0);
        assertThat(StatusEvents.between(null, pending)).contains(new StatusEvents.Note("Normal", "Pending",
                pending.getMessage()));
        assertThat(StatusEvents.between(pending, pending)).isEmpty();

        resource.getSpec().getTraining().setMaxPromptLength(2048);
        PreferenceAlignmentJobStatus invalid = compute(resource, Optional.empty(), List.of(), Optional.empty(), T0);
        assertThat(StatusEvents.between(pending, invalid)).hasValueSatisfying(note -> {
            assertThat(note.type()).isEqualTo("Warning");
            assertThat(note.reason()).isEqualTo("InvalidSpec");
            assertThat(note.message()).contains("spec.training.maxPromptLength");
        });
        assertThat(StatusEvents.between(invalid, invalid)).isEmpty();
    }
}
