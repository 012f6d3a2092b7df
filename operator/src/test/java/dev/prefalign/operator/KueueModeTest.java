package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.scheduling.KueueWorkloads;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * Scheduling mode kueue: the test plays Kueue (its Workload, and flipping the Job's spec.suspend to admit and to
 * preempt), the Job controller and the kubelet.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(KueueModeTest.Kueue.class)
class KueueModeTest {

    public static class Kueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prefalign.operator.scheduling.mode", "kueue");
        }
    }

    @Inject
    KubernetesClient client;

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private PreferenceAlignmentJobStatus status() {
        PreferenceAlignmentJob job = client.resources(PreferenceAlignmentJob.class).inNamespace("queues")
                .withName("queued").get();
        return job.getStatus() == null ? new PreferenceAlignmentJobStatus() : job.getStatus();
    }

    private Job trainerJob() {
        return client.batch().v1().jobs().inNamespace("queues").withName("queued").get();
    }

    /** What Kueue does to admit (false) or preempt (true) a workload. */
    private void kueueSetsSuspend(boolean suspend) {
        client.batch().v1().jobs().inNamespace("queues").withName("queued").edit(j -> {
            j.getSpec().setSuspend(suspend);
            return j;
        });
    }

    @Test
    void kueueDecidesAndItsPreemptionRequeuesTheJob() {
        PreferenceAlignmentJob spec = TestJobs.minimal("queued", "queues");
        spec.getMetadata().setLabels(Map.of("kueue.x-k8s.io/queue-name", "team-a",
                "kueue.x-k8s.io/priority-class", "research"));
        client.resource(spec).create();
        eventually().until(() -> trainerJob() != null);
        Job job = trainerJob();
        assertThat(job.getSpec().getSuspend()).as("created held back for Kueue").isTrue();
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a")
                .containsEntry("kueue.x-k8s.io/priority-class", "research");

        GenericKubernetesResource workload = new GenericKubernetesResourceBuilder()
                .withApiVersion("kueue.x-k8s.io/v1beta1").withKind("Workload")
                .withNewMetadata().withName("job-queued-1a2b3").withNamespace("queues")
                .addToLabels(KueueWorkloads.JOB_UID_LABEL, job.getMetadata().getUid()).endMetadata()
                .addToAdditionalProperties("status", Map.of("conditions", List.of(Map.of("type", "QuotaReserved",
                        "status", "False", "reason", "Pending", "message", "couldn't assign flavors to pod set main: "
                                + "insufficient quota for nvidia.com/gpu in flavor a100, 1 more needed"))))
                .build();
        client.genericKubernetesResources(KueueWorkloads.WORKLOADS).inNamespace("queues").resource(workload).create();
        eventually().untilAsserted(() -> {
            PreferenceAlignmentJobStatus status = status();
            assertThat(status.getPhase()).isEqualTo(Phase.Queued);
            assertThat(status.getMessage()).isEqualTo("Waiting for Kueue to admit the Job from LocalQueue team-a: "
                    + "couldn't assign flavors to pod set main: insufficient quota for nvidia.com/gpu in flavor "
                    + "a100, 1 more needed.");
            assertThat(status.getQueue().getReason()).contains("insufficient quota");
            assertThat(status.getQueue().getPosition()).isNull();
        });

        try (Kubelet kubelet = new Kubelet(client)) {
            kueueSetsSuspend(false);
            kubelet.running(kubelet.createPod(trainerJob(), "queued-1"));
            eventually().untilAsserted(() -> assertThat(status().getPhase()).isEqualTo(Phase.Running));

            // Kueue preempts: the Job controller stops the Pod (SIGTERM: the trainer checkpoints, exit code 3).
            kueueSetsSuspend(true);
            eventually().untilAsserted(() -> {
                assertThat(status().getPhase()).isEqualTo(Phase.Queued);
                assertThat(status().getPreemptions()).isEqualTo(1);
            });
            // The operator leaves Kueue's decision alone.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .untilAsserted(() -> assertThat(trainerJob().getSpec().getSuspend()).isTrue());

            kueueSetsSuspend(false);
            kubelet.running(kubelet.createPod(trainerJob(), "queued-2"));
            eventually().untilAsserted(() -> {
                assertThat(status().getPhase()).isEqualTo(Phase.Running);
                assertThat(status().getPreemptions()).isEqualTo(1);
            });
        }
    }
}
