package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** ttlSecondsAfterFinished on the resource, and an operator whose caches start over mid-job. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class LifecycleTest {

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private PreferenceAlignmentJob current(String namespace, String name) {
        return client.resources(PreferenceAlignmentJob.class).inNamespace(namespace).withName(name).get();
    }

    private Job awaitJob(String namespace, String name) {
        eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** Creates the job and plays it to success; returns when the success is in its status. */
    private void runToSuccess(PreferenceAlignmentJob spec) {
        String namespace = spec.getMetadata().getNamespace();
        String name = spec.getMetadata().getName();
        try (Kubelet kubelet = new Kubelet(client)) {
            client.resource(spec).create();
            Job job = awaitJob(namespace, name);
            Pod pod = kubelet.running(kubelet.createPod(job, name + "-abcde"));
            kubelet.trainerExited(pod, 0, """
                    {"name":"%s","method":"ORPO","state":"Succeeded","steps":8,"totalSteps":8,"seconds":3.0,
                     "metrics":{"loss":0.5},"checkpoints":[],"outputPath":"/workspace/output"}""".formatted(name));
            kubelet.jobEnded(job, "Complete", "CompletionsReached");
        }
    }

    @Test
    void ttlZeroDeletesTheFinishedResourceAtOnce() {
        PreferenceAlignmentJob spec = TestJobs.minimal("gone", "ttl-zero");
        spec.getSpec().getRunPolicy().setTtlSecondsAfterFinished(0L);
        runToSuccess(spec);
        eventually().untilAsserted(() -> assertThat(current("ttl-zero", "gone")).isNull());
    }

    @Test
    void aSmallTtlKeepsTheResourceUntilItHasPassed() {
        PreferenceAlignmentJob spec = TestJobs.minimal("kept", "ttl-small");
        spec.getSpec().getRunPolicy().setTtlSecondsAfterFinished(4L);
        runToSuccess(spec);
        eventually().untilAsserted(() -> {
            PreferenceAlignmentJob job = current("ttl-small", "kept");
            assertThat(job).isNotNull();
            assertThat(job.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        });
        // completionTime has second precision: at least 3 s of the 4 s are still ahead when Succeeded shows.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(current("ttl-small", "kept")).isNotNull());
        // No event arrives after success: only the rescheduled reconcile can delete it.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(current("ttl-small", "kept")).isNull());
    }

    @Test
    void aRestartedOperatorCreatesNothingTwice() {
        PreferenceAlignmentJob spec = TestJobs.dpo("restarted", "restart");
        TestJobs.ensureStorageClass(client, "fast-ssd");
        RegisteredController<?> controller = operator.getRegisteredController(PreferenceAlignmentJobReconciler.NAME)
                .orElseThrow();
        Set<String> watched = Set.copyOf(controller.getConfiguration().getInformerConfig().getNamespaces());
        try (Kubelet kubelet = new Kubelet(client)) {
            client.resource(spec).create();
            Job job = awaitJob("restart", "restarted");
            kubelet.running(kubelet.createPod(job, "restarted-abcde"));
            eventually().untilAsserted(() -> assertThat(current("restart", "restarted").getStatus().getPhase())
                    .isIn(Phase.Initializing, Phase.Running));
            PreferenceAlignmentJobStatus before = current("restart", "restarted").getStatus();
            String jobUid = job.getMetadata().getUid();

            // Restarting the controller's informers throws away every cache: the operator then knows only what
            // the API server tells it, as after a process restart, and reconciles every resource again.
            controller.changeNamespaces(Set.of("restart"));

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(client.batch().v1().jobs().inNamespace("restart").list().getItems())
                        .singleElement().satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(jobUid));
                assertThat(client.persistentVolumeClaims().inNamespace("restart").list().getItems()).hasSize(1);
                assertThat(client.configMaps().inNamespace("restart").list().getItems()).hasSize(1);
                PreferenceAlignmentJobStatus after = current("restart", "restarted").getStatus();
                assertThat(after.getPhase()).isEqualTo(before.getPhase());
                assertThat(after.getStartTime()).isEqualTo(before.getStartTime());
                assertThat(after.getRestarts()).isEqualTo(before.getRestarts());
                assertThat(after.getConditions()).isEqualTo(before.getConditions());
            });
        } finally {
            // Back to the namespaces the other tests expect.
            controller.changeNamespaces(watched);
        }
    }
}
