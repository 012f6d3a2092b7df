package dev.prefalign.operator.status;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.dependent.ChildSettings;
import dev.prefalign.operator.dependent.TrainerJobs;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.Optional;

/** Jobs and Pods in the states the Job controller and the kubelet put them in, for pure status tests. */
final class ClusterObjects {

    private ClusterObjects() {
    }

    static Job job(PreferenceAlignmentJob resource) {
        Job job = TrainerJobs.desired(resource, new ChildSettings("img", 30, 1000, Optional.empty()));
        job.getMetadata().setUid("job-uid");
        return job;
    }

    static Job withCondition(Job job, String type, String reason, String time) {
        job.setStatus(new JobStatusBuilder()
                .addToConditions(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                        .withLastTransitionTime(time).build())
                .withCompletionTime("Complete".equals(type) ? time : null)
                .build());
        return job;
    }

    /** A Pod of the Job, created at the given second (for ordering). */
    static PodBuilder pod(String name, int createdSecond) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("ns")
                .withCreationTimestamp(String.format("2025-03-01T12:00:%02dZ", createdSecond))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("trainer").endContainer().endSpec();
    }

    static Pod pending(String name, int createdSecond) {
        return pod(name, createdSecond).withNewStatus().withPhase("Pending").endStatus().build();
    }

    static Pod unschedulable(String name, int createdSecond, String why) {
        return pod(name, createdSecond).withNewStatus().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage(why).endCondition()
                .endStatus().build();
    }

    static Pod fetching(String name, int createdSecond) {
        return pod(name, createdSecond).withNewStatus().withPhase("Pending")
                .withStartTime("2025-03-01T12:00:30Z")
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("fetch").withNewState()
                        .withNewRunning().withStartedAt("2025-03-01T12:00:31Z").endRunning().endState().build())
                .endStatus().build();
    }

    /** A Pending Pod whose container (init container when {@code init}) the kubelet cannot start. */
    static Pod waiting(String name, int createdSecond, String container, boolean init, String reason, String message) {
        ContainerStatus status = new ContainerStatusBuilder().withName(container).withRestartCount(0).withNewState()
                .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
        PodBuilder pod = pod(name, createdSecond);
        return (init ? pod.withNewStatus().withPhase("Pending").addToInitContainerStatuses(status)
                : pod.withNewStatus().withPhase("Pending")
                        .addToInitContainerStatuses(terminated("fetch", 0, "Completed", ""))
                        .addToContainerStatuses(status))
                .endStatus().build();
    }

    static Pod running(String name, int createdSecond) {
        return pod(name, createdSecond).withNewStatus().withPhase("Running").withPodIP("10.0.0.7")
                .withStartTime("2025-03-01T12:00:" + String.format("%02d", createdSecond) + "Z")
                .addToInitContainerStatuses(terminated("fetch", 0, "Completed", ""))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("trainer").withRestartCount(0)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
    }

    /** A Pod whose trainer ended with the exit code and termination message given. */
    static Pod ended(String name, int createdSecond, int exitCode, String message) {
        return pod(name, createdSecond).withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withStartTime("2025-03-01T12:00:" + String.format("%02d", createdSecond) + "Z")
                .addToInitContainerStatuses(terminated("fetch", 0, "Completed", ""))
                .addToContainerStatuses(terminated("trainer", exitCode, exitCode == 0 ? "Completed" : "Error",
                        message))
                .endStatus().build();
    }

    /** A Pod whose fetch init container failed (the trainer never started). */
    static Pod fetchFailed(String name, int createdSecond, int exitCode, String message) {
        return pod(name, createdSecond).withNewStatus().withPhase("Failed")
                .addToInitContainerStatuses(terminated("fetch", exitCode, "Error", message))
                .endStatus().build();
    }

    static ContainerStatus terminated(String container, int exitCode, String reason, String message) {
        return new ContainerStatusBuilder().withName(container).withRestartCount(0).withNewState().withNewTerminated()
                .withExitCode(exitCode).withReason(reason).withMessage(message).endTerminated().endState().build();
    }
}
