package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest in examples/ is accepted by the operator and becomes a trainer Job as its comments say. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ExampleManifestsTest {

    @Inject
    KubernetesClient client;

    @Test
    void everyExampleBecomesATrainerJob() throws Exception {
        List<Path> examples = examples();
        assertThat(examples).isNotEmpty();
        for (Path file : examples) {
            PreferenceAlignmentJob job = JobManifests.read(file);
            job.getMetadata().setNamespace("examples");
            client.resource(job).create();
        }
        for (Path file : examples) {
            PreferenceAlignmentJob job = JobManifests.read(file);
            String name = job.getMetadata().getName();
            await(file.toString()).atMost(Duration.ofSeconds(30)).until(() ->
                    client.batch().v1().jobs().inNamespace("examples").withName(name).get() != null);
            // Created held back (scheduling mode auto without Kueue: the GPU budgets), then released unless the
            // example is suspended itself.
            await(file.toString()).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.batch().v1()
                    .jobs().inNamespace("examples").withName(name).get().getSpec().getSuspend())
                    .isEqualTo(job.getSpec().getRunPolicy().isSuspend()));
            Job trainer = client.batch().v1().jobs().inNamespace("examples").withName(name).get();
            assertThat(trainer.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                    .get(job.getSpec().getResources().getGpuResourceName())).as(file.toString())
                    .hasToString(Integer.toString(job.getSpec().getResources().getGpus()));
            String queue = job.getMetadata().getLabels() == null ? null
                    : job.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name");
            assertThat(trainer.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name")).as(file.toString())
                    .isEqualTo(queue);
        }
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
