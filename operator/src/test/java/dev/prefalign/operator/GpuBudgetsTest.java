package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.scheduling.ClusterBudgets;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's own GPU admission against the mock API server: a cluster budget of 4 GPUs, preemption on. The test
 * plays the Job controller and the kubelet. Each test removes its jobs at the end, since the budget is shared.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(GpuBudgetsTest.FourGpus.class)
class GpuBudgetsTest {

    public static class FourGpus implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prefalign.operator.scheduling.mode", "budgets",
                    "prefalign.operator.scheduling.cluster-budget", "nvidia.com/gpu=4",
                    "prefalign.operator.scheduling.preemption", "true");
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    @Inject
    ClusterBudgets budgets;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100));
    }

    private static PreferenceAlignmentJob job(String namespace, String name, int gpus, String priorityClass) {
        PreferenceAlignmentJob job = TestJobs.minimal(name, namespace);
        job.getSpec().getResources().setGpus(gpus);
        job.getSpec().getResources().setPriorityClassName(priorityClass);
        return job;
    }

    private PreferenceAlignmentJob create(PreferenceAlignmentJob job) {
        return client.resource(job).create();
    }

    private List<Job> released(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .filter(j -> !Boolean.TRUE.equals(j.getSpec().getSuspend())).toList();
    }

    private Job trainerJob(String namespace, String name) {
        eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private PreferenceAlignmentJobStatus status(String namespace, String name) {
        PreferenceAlignmentJob job = client.resources(PreferenceAlignmentJob.class).inNamespace(namespace)
                .withName(name).get();
        return job == null || job.getStatus() == null ? new PreferenceAlignmentJobStatus() : job.getStatus();
    }

    private List<Event> events(String namespace, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private void priorityClass(String name, int value) throws Exception {
        if (client.scheduling().v1().priorityClasses().withName(name).get() == null) {
            client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata()
                    .withName(name).endMetadata().withValue(value).build()).create();
            budgets.invalidate();
        }
    }

    /** Ends a released run as the Job controller would, after its trainer exited 0. */
    private void finish(Kubelet kubelet, String namespace, String name) {
        Job job = trainerJob(namespace, name);
        kubelet.trainerExited(kubelet.running(kubelet.createPod(job, name + "-pod")), 0, "{}");
        kubelet.jobEnded(job, "Complete", "CompletionsReached");
    }

    @AfterEach
    void removeJobs() {
        // The mock server has no garbage collector: delete the Jobs with their resources.
        for (PreferenceAlignmentJob job : client.resources(PreferenceAlignmentJob.class).inAnyNamespace().list()
                .getItems()) {
            client.resource(job).delete();
        }
        client.batch().v1().jobs().inAnyNamespace().delete();
        eventually().until(() -> client.resources(PreferenceAlignmentJob.class).inAnyNamespace().list().getItems()
                .isEmpty());
    }

    @Test
    void fiftyJobsCreatedAtOnceNeverHoldMoreThanTheBudgetAndQueueInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PreferenceAlignmentJob>> created = IntStream.range(0, 50)
                    .mapToObj(i -> pool.submit(() -> create(job("crowd", "job-%02d".formatted(i), 1, null))))
                    .toList();
            // Every 50 ms while they are created and admitted: never more than 4 GPUs released.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < until) {
                assertThat(released("crowd").size()).isLessThanOrEqualTo(4);
                Thread.sleep(50);
            }
            for (Future<PreferenceAlignmentJob> f : created) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        eventually().untilAsserted(() -> assertThat(released("crowd")).hasSize(4));
        eventually().untilAsserted(() -> {
            List<PreferenceAlignmentJob> jobs = client.resources(PreferenceAlignmentJob.class).inNamespace("crowd")
                    .list().getItems();
            List<Integer> positions = jobs.stream().filter(j -> j.getStatus() != null
                    && j.getStatus().getPhase() == Phase.Queued && j.getStatus().getQueue() != null)
                    .map(j -> j.getStatus().getQueue().getPosition()).sorted().toList();
            assertThat(positions).isEqualTo(IntStream.rangeClosed(1, 46).boxed().toList());
        });
        PreferenceAlignmentJob waiting = client.resources(PreferenceAlignmentJob.class).inNamespace("crowd").list()
                .getItems().stream().filter(j -> j.getStatus().getQueue() != null
                        && j.getStatus().getQueue().getPosition() == 1).findFirst().orElseThrow();
        assertThat(waiting.getStatus().getMessage()).startsWith("Waiting for GPUs, number 1 in the queue: the cluster "
                + "budget for nvidia.com/gpu is full (4 of 4 in use, 1 needed)");
        eventually().untilAsserted(() -> assertThat(scrape().lines())
                .contains("prefalign_queue_length 46.0")
                .contains("prefalign_budget_admitted_gpus{resource=\"nvidia.com/gpu\",scope=\"cluster\"} 4.0")
                .contains("prefalign_budget_admitted_gpus{resource=\"nvidia.com/gpu\",scope=\"crowd\"} 4.0")
                .contains("prefalign_budget_gpus{resource=\"nvidia.com/gpu\",scope=\"cluster\"} 4.0")
                .anyMatch(l -> l.startsWith("prefalign_queue_wait_seconds_count ")));

        // A restarted operator (fresh caches) decides the same: the same four stay released, no fifth is.
        Set<String> admitted = Set.copyOf(released("crowd").stream().map(j -> j.getMetadata().getName()).toList());
        RegisteredController<?> controller = operator
                .getRegisteredController(PreferenceAlignmentJobReconciler.NAME).orElseThrow();
        Set<String> watched = Set.copyOf(controller.getConfiguration().getInformerConfig().getNamespaces());
        try {
            controller.changeNamespaces(Set.of("crowd"));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(released("crowd")).extracting(j -> j.getMetadata().getName())
                            .containsExactlyInAnyOrderElementsOf(admitted));
        } finally {
            controller.changeNamespaces(watched);
        }

        // The oldest waiting job gets the GPUs the first finished job gives back.
        try (Kubelet kubelet = new Kubelet(client)) {
            finish(kubelet, "crowd", admitted.iterator().next());
        }
        String next = waiting.getMetadata().getName();
        eventually().untilAsserted(() -> assertThat(released("crowd")).extracting(j -> j.getMetadata().getName())
                .contains(next).hasSize(5)); // the finished Job stays released; it no longer counts
        eventually().untilAsserted(() -> assertThat(events("crowd", next))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Admitted")));
    }

    @Test
    void higherPriorityGoesFirstAndPreemptsTheNewestLowPriorityJob() throws Exception {
        priorityClass("low", 0);
        priorityClass("high", 1000);
        try (Kubelet kubelet = new Kubelet(client)) {
            create(job("prio", "low-a", 2, "low"));
            eventually().untilAsserted(() -> assertThat(released("prio")).hasSize(1));
            Thread.sleep(1100); // creation timestamps have whole seconds: low-b is newer
            create(job("prio", "low-b", 2, "low"));
            eventually().untilAsserted(() -> assertThat(released("prio")).hasSize(2));
            for (String name : List.of("low-a", "low-b")) {
                kubelet.running(kubelet.createPod(trainerJob("prio", name), name + "-pod"));
                eventually().untilAsserted(() -> assertThat(status("prio", name).getPhase()).isEqualTo(Phase.Running));
            }

            create(job("prio", "urgent", 2, "high"));
            eventually().untilAsserted(() -> assertThat(released("prio")).extracting(j -> j.getMetadata().getName())
                    .containsExactlyInAnyOrder("low-a", "urgent"));
            eventually().untilAsserted(() -> {
                PreferenceAlignmentJobStatus victim = status("prio", "low-b");
                assertThat(victim.getPhase()).isEqualTo(Phase.Queued);
                assertThat(victim.getPreemptions()).isEqualTo(1);
                assertThat(victim.getQueue().getPosition()).isEqualTo(1);
            });
            assertThat(events("prio", "low-b")).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("Preempted");
                assertThat(e.getMessage()).contains("prio/urgent");
            });
            assertThat(scrape().lines()).anyMatch(l -> l.startsWith("prefalign_preemptions_total ")
                    && Double.parseDouble(l.substring(l.indexOf(' ') + 1)) >= 1);

            // When the urgent job ends, the preempted one is admitted again (its trainer resumes from its checkpoint).
            finish(kubelet, "prio", "urgent");
            eventually().untilAsserted(() -> assertThat(released("prio")).extracting(j -> j.getMetadata().getName())
                    .contains("low-b"));
        }
    }

    @Test
    void aRequestNoBudgetCanGiveStallsAndNamespaceBudgetsHoldTheirOwnJobs() {
        create(job("huge", "eight", 8, null));
        eventually().untilAsserted(() -> {
            PreferenceAlignmentJobStatus status = status("huge", "eight");
            assertThat(status.getPhase()).isEqualTo(Phase.Queued);
            assertThat(status.getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Stalled");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("ExceedsBudget");
            });
            assertThat(status.getMessage()).contains("it asks for 8 nvidia.com/gpu but the cluster budget is 4");
        });
        assertThat(released("huge")).isEmpty();

        client.configMaps().inNamespace("small-team").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("gpu-budget").withNamespace("small-team").addToLabels(ClusterBudgets.BUDGET_LABEL, "true")
                .endMetadata().addToData("nvidia.com/gpu", "1").build()).create();
        budgets.invalidate();
        create(job("small-team", "first", 1, null));
        eventually().untilAsserted(() -> assertThat(released("small-team")).hasSize(1));
        create(job("small-team", "second", 1, null));
        eventually().untilAsserted(() -> assertThat(status("small-team", "second").getMessage())
                .contains("the budget of namespace small-team for nvidia.com/gpu is full (1 of 1 in use, 1 needed)"));
        assertThat(released("small-team")).hasSize(1);
    }
}
