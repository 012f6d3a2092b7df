package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** /q/health and /q/metrics of the running operator, with the mock API server as the cluster. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ObservabilityTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private HttpResponse<String> get(URL url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url.toString())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    private double sample(String name, Map<String, String> labels) throws Exception {
        double sum = 0;
        for (String line : get(metrics).body().split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new java.util.HashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                found.put(l.group(1), l.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    private Job awaitJob(String namespace, String name) {
        eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private void awaitPhase(String namespace, String name, Phase phase) {
        eventually().untilAsserted(() -> {
            PreferenceAlignmentJob job = client.resources(PreferenceAlignmentJob.class).inNamespace(namespace)
                    .withName(name).get();
            assertThat(job.getStatus()).isNotNull();
            assertThat(job.getStatus().getPhase()).isEqualTo(phase);
        });
    }

    @Test
    void healthEndpointsAnswerUp() throws Exception {
        for (URL url : new URL[] {live, ready}) {
            HttpResponse<String> response = get(url);
            assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
            assertThat(response.body()).as(url.toString()).contains("\"status\": \"UP\"");
        }
        // The operator SDK's readiness check: the controller and its informers have started.
        assertThat(get(ready).body()).contains("Quarkus Operator SDK health check");
    }

    @Test
    void jobGaugesAndTimersFollowTheCluster() throws Exception {
        Map<String, String> queuedOrpo = Map.of("phase", "Queued", "method", "ORPO");
        Map<String, String> runningOrpo = Map.of("phase", "Running", "method", "ORPO");
        Map<String, String> succeededOrpo = Map.of("phase", "Succeeded", "method", "ORPO");
        double queued = sample("prefalign_jobs", queuedOrpo);
        double running = sample("prefalign_jobs", runningOrpo);
        double gpus = sample("prefalign_jobs_running_gpus", Map.of());
        double toRunning = sample("prefalign_job_time_to_running_seconds_count", Map.of());
        double durations = sample("prefalign_job_duration_seconds_count", succeededOrpo);

        try (Kubelet kubelet = new Kubelet(client)) {
            PreferenceAlignmentJob spec = TestJobs.minimal("measured", "metrics");
            spec.getSpec().getResources().setGpus(3);
            client.resource(spec).create();
            Job job = awaitJob("metrics", "measured");
            awaitPhase("metrics", "measured", Phase.Queued);
            eventually().untilAsserted(() -> assertThat(sample("prefalign_jobs", queuedOrpo)).isEqualTo(queued + 1));

            kubelet.serveStatus("""
                    {"phase":"training","step":1,"totalSteps":8,"percent":12.5,"metrics":{"loss":0.7}}""");
            Pod pod = kubelet.running(kubelet.createPod(job, "measured-abcde"));
            awaitPhase("metrics", "measured", Phase.Running);
            eventually().untilAsserted(() -> {
                assertThat(sample("prefalign_jobs", queuedOrpo)).isEqualTo(queued);
                assertThat(sample("prefalign_jobs", runningOrpo)).isEqualTo(running + 1);
                assertThat(sample("prefalign_jobs_running_gpus", Map.of())).isEqualTo(gpus + 3);
                assertThat(sample("prefalign_job_time_to_running_seconds_count", Map.of())).isEqualTo(toRunning + 1);
            });

            kubelet.trainerExited(pod, 0, """
                    {"name":"measured","method":"ORPO","state":"Succeeded","steps":8,"totalSteps":8,
                     "seconds":30.2,"metrics":{"loss":0.5},"checkpoints":[],"outputPath":"/workspace/output"}""");
            kubelet.jobEnded(job, "Complete", "CompletionsReached");
            awaitPhase("metrics", "measured", Phase.Succeeded);
            eventually().untilAsserted(() -> {
                assertThat(sample("prefalign_jobs", runningOrpo)).isEqualTo(running);
                assertThat(sample("prefalign_jobs_running_gpus", Map.of())).isEqualTo(gpus);
                assertThat(sample("prefalign_job_duration_seconds_count", succeededOrpo)).isEqualTo(durations + 1);
            });
        }
        // JOSDK's own reconcile metrics, published by the operator SDK extension through the same registry.
        assertThat(get(metrics).body()).contains("operator_sdk_reconciliations");
    }

    @Test
    void aTrainerThatDoesNotAnswerCountsAsAFailedObservation() throws Exception {
        double errors = sample("prefalign_trainer_status_errors_total", Map.of());
        // No /status server: the Pod's status port on 127.0.0.1 refuses the connection.
        Kubelet kubelet = new Kubelet(client);
        client.resource(TestJobs.minimal("silent", "status-errors")).create();
        Job job = awaitJob("status-errors", "silent");
        kubelet.running(kubelet.createPod(job, "silent-abcde"));
        eventually().untilAsserted(() ->
                assertThat(sample("prefalign_trainer_status_errors_total", Map.of())).isGreaterThan(errors));
    }
}
