package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.ExperimentRunResult;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentExperimentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The experiment controller and the job controller together against the mock API server; the test plays the Job
 * controller and the kubelet for the runs' trainer Jobs, so results arrive the way they do in a cluster.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ExperimentReconcilerTest {

    private static final String SUMMARY = """
            {"name":"%s","method":"DPO","state":"Succeeded","steps":10,"totalSteps":10,"seconds":12.5,
             "tokensPerSecond":300.0,"metrics":{"loss":%s,"rewards/accuracies":0.75},"evalMetrics":{"eval_loss":0.6},
             "checkpoints":[],"outputPath":"/workspace/output","skippedSteps":0}""";

    @Inject
    KubernetesClient client;

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private static PreferenceAlignmentExperiment experiment(String namespace, String gridAndMore) {
        PreferenceAlignmentExperiment experiment = Serialization.unmarshal("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentExperiment
                metadata:
                  name: exp
                  namespace: %s
                  labels:
                    kueue.x-k8s.io/queue-name: team-a
                    team: research
                spec:
                  base:
                    method: DPO
                    model: {source: hf://HuggingFaceTB/SmolLM2-135M-Instruct}
                    dataset: {source: pvc://team-data/prefs}
                    training: {maxSteps: 10}
                %s
                """.formatted(namespace, gridAndMore.indent(2)), PreferenceAlignmentExperiment.class);
        return experiment;
    }

    private List<PreferenceAlignmentJob> jobs(String namespace) {
        return client.resources(PreferenceAlignmentJob.class).inNamespace(namespace).list().getItems();
    }

    private void awaitStatus(String namespace, Consumer<PreferenceAlignmentExperimentStatus> check) {
        awaitStatus(namespace, "exp", check);
    }

    private void awaitStatus(String namespace, String name, Consumer<PreferenceAlignmentExperimentStatus> check) {
        eventually().untilAsserted(() -> {
            PreferenceAlignmentExperiment current = client.resources(PreferenceAlignmentExperiment.class)
                    .inNamespace(namespace).withName(name).get();
            assertThat(current.getStatus()).isNotNull();
            check.accept(current.getStatus());
        });
    }

    private static Condition condition(PreferenceAlignmentExperimentStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static ExperimentRunResult result(PreferenceAlignmentExperimentStatus status, String name) {
        return status.getResults().stream().filter(r -> r.getName().equals(name)).findFirst().orElseThrow();
    }

    private Job awaitTrainerJob(String namespace, String name) {
        eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "exp".equals(e.getInvolvedObject().getName())
                        && PreferenceAlignmentExperiment.KIND.equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    @Test
    void runsTheGridAtMostMaxConcurrentAtATimeAndCollectsTheResults() {
        PreferenceAlignmentExperiment created = client.resource(experiment("grid", """
                grid:
                  method: [DPO, ORPO]
                  dpo.beta: [0.1, 0.5]
                maxConcurrent: 2
                """)).create();
        eventually().untilAsserted(() -> assertThat(jobs("grid")).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder("exp-01-dpo-beta-0.1", "exp-02-dpo-beta-0.5"));
        PreferenceAlignmentJob first = client.resources(PreferenceAlignmentJob.class).inNamespace("grid")
                .withName("exp-01-dpo-beta-0.1").get();
        assertThat(first.getSpec().getDpo().getBeta()).isEqualTo(0.1);
        assertThat(first.getMetadata().getLabels()).containsEntry("prefalign.dev/experiment", "exp")
                .containsEntry("kueue.x-k8s.io/queue-name", "team-a").doesNotContainKey("team");
        assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("PreferenceAlignmentExperiment");
            assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        awaitStatus("grid", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Running);
            assertThat(status.getRuns()).isEqualTo(3);
            assertThat(status.getActive()).isEqualTo(2);
            assertThat(status.getResults()).extracting(ExperimentRunResult::getName).containsExactly(
                    "exp-01-dpo-beta-0.1", "exp-02-dpo-beta-0.5", "exp-03-orpo");
            assertThat(result(status, "exp-03-orpo").getPhase()).isEqualTo(Phase.Pending);
            assertThat(result(status, "exp-03-orpo").getMessage()).contains("spec.maxConcurrent");
            assertThat(result(status, "exp-01-dpo-beta-0.1").getSettings()).containsEntry("method", "DPO")
                    .containsEntry("dpo.beta", "0.1");
        });
        // The third run waits for a slot.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .untilAsserted(() -> assertThat(jobs("grid")).hasSize(2));

        try (Kubelet kubelet = new Kubelet(client)) {
            Job trainer = awaitTrainerJob("grid", "exp-01-dpo-beta-0.1");
            kubelet.trainerExited(kubelet.running(kubelet.createPod(trainer, "exp-01-a")), 0,
                    SUMMARY.formatted("exp-01-dpo-beta-0.1", "0.41"));
            kubelet.jobEnded(trainer, "Complete", "CompletionsReached");
            eventually().untilAsserted(() -> assertThat(jobs("grid")).hasSize(3));

            Job second = awaitTrainerJob("grid", "exp-02-dpo-beta-0.5");
            kubelet.trainerExited(kubelet.running(kubelet.createPod(second, "exp-02-a")), 1,
                    "error: CUDA out of memory");
            kubelet.jobEnded(second, "Failed", "BackoffLimitExceeded");
            Job third = awaitTrainerJob("grid", "exp-03-orpo");
            kubelet.trainerExited(kubelet.running(kubelet.createPod(third, "exp-03-a")), 0,
                    SUMMARY.formatted("exp-03-orpo", "0.52"));
            kubelet.jobEnded(third, "Complete", "CompletionsReached");
        }
        awaitStatus("grid", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Failed);
            assertThat(status.getSucceeded()).isEqualTo(2);
            assertThat(status.getFailed()).isEqualTo(1);
            assertThat(status.getActive()).isZero();
            assertThat(status.getCompletionTime()).isNotNull();
            assertThat(result(status, "exp-01-dpo-beta-0.1").getMetrics()).containsEntry("loss", 0.41)
                    .containsEntry("eval_loss", 0.6);
            assertThat(result(status, "exp-01-dpo-beta-0.1").getOutputPath())
                    .isEqualTo("pvc://exp-01-dpo-beta-0.1/output");
            assertThat(result(status, "exp-03-orpo").getMetrics()).containsEntry("loss", 0.52);
            assertThat(result(status, "exp-02-dpo-beta-0.5").getPhase()).isEqualTo(Phase.Failed);
            Condition stalled = condition(status, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo("RunsFailed");
            assertThat(status.getMessage()).startsWith("1 of 3 runs failed: exp-02-dpo-beta-0.5: ")
                    .contains("CUDA out of memory");
        });
        assertThat(events("grid")).extracting(Event::getReason).contains("RunCreated", "RunsFailed");
    }

    @Test
    void anInvalidRunStallsTheExperimentAndCreatesNothing() {
        client.resource(experiment("invalid", """
                grid:
                  dpo.beta: [0.1, high]
                  training.learningRat: [1.0e-6]
                """)).create();
        awaitStatus("invalid", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Pending);
            Condition stalled = condition(status, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo("InvalidSpec");
            assertThat(status.getMessage()).contains("spec.dpo.beta").contains("exp-02-dpo-beta-high")
                    .contains("learningRat");
        });
        assertThat(events("invalid")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(jobs("invalid")).isEmpty());
    }

    @Test
    void theExampleExperimentRunsAsAResource() throws Exception {
        Path file = Path.of("..", "examples", "experiments", "dpo-vs-orpo-ultrafeedback.yaml");
        PreferenceAlignmentExperiment example = Serialization.unmarshal(Files.readString(file),
                PreferenceAlignmentExperiment.class);
        example.getMetadata().setNamespace("example");
        client.resource(example).create();
        awaitStatus("example", "dpo-vs-orpo", status -> {
            assertThat(status.getRuns()).as("three betas, two ORPO lambdas, one IPO run").isEqualTo(6);
            assertThat(status.getPhase()).isEqualTo(Phase.Running);
        });
        // spec.maxConcurrent: 2
        assertThat(jobs("example")).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder("dpo-vs-orpo-01-dpo-beta-0.05", "dpo-vs-orpo-02-dpo-beta-0.1");
    }
}
