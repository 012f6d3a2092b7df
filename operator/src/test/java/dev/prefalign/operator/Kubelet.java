package dev.prefalign.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the Job controller and the kubelet against the mock API server: creates the Job's Pod from its template,
 * moves it through its phases, serves the trainer's /status, and sets the Job's conditions.
 */
final class Kubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final AtomicReference<String> statusDocument = new AtomicReference<>();
    private HttpServer trainer;

    Kubelet(KubernetesClient client) {
        this.client = client;
    }

    /** Serves {@code json} as the trainer's /status from now on; the Pod's status port points here. */
    void serveStatus(String json) throws IOException {
        statusDocument.set(json);
        if (trainer != null) {
            return;
        }
        trainer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        trainer.createContext("/status", exchange -> {
            byte[] body = statusDocument.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        trainer.start();
    }

    /** The Job controller's Pod: the template's labels and spec, owned by the Job, not yet scheduled. */
    Pod createPod(Job job, String name) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).withController(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        if (trainer != null) {
            ContainerPort port = pod.getSpec().getContainers().get(0).getPorts().get(0);
            port.setContainerPort(trainer.getAddress().getPort());
        }
        return client.pods().resource(pod).create();
    }

    Pod running(Pod pod) {
        String now = now();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").withStartTime(now)
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("fetch").withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated()
                        .endState().build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("trainer").withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build())
                .build());
        return client.pods().resource(pod).updateStatus();
    }

    /** The kubelet cannot start the fetch init container, e.g. CreateContainerConfigError for a missing Secret. */
    Pod cannotStart(Pod pod, String reason, String message) {
        pod.setStatus(new PodStatusBuilder().withPhase("Pending")
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("fetch").withRestartCount(0)
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting()
                        .endState().build())
                .build());
        return client.pods().resource(pod).updateStatus();
    }

    /** The trainer container ends with this exit code, leaving {@code message} as its termination message. */
    Pod trainerExited(Pod pod, int exitCode, String message) {
        pod.setStatus(new PodStatusBuilder(pod.getStatus()).withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName("trainer").withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message).withFinishedAt(now())
                        .endTerminated().endState().build())
                .build());
        return client.pods().resource(pod).updateStatus();
    }

    /** The Job controller's verdict: Complete, or Failed with the given reason. */
    Job jobEnded(Job job, String type, String reason) {
        Job current = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).get();
        current.setStatus(new JobStatusBuilder()
                .addToConditions(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                        .withLastTransitionTime(now()).build())
                .withCompletionTime("Complete".equals(type) ? now() : null)
                .withSucceeded("Complete".equals(type) ? 1 : 0)
                .withFailed("Failed".equals(type) ? 1 : 0)
                .build());
        return client.batch().v1().jobs().resource(current).updateStatus();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        if (trainer != null) {
            trainer.stop(0);
        }
    }
}
