package dev.prefalign.operator.status;

import dev.prefalign.operator.dependent.ChildResources;
import dev.prefalign.operator.dependent.TrainerJobs;
import dev.prefalign.operator.status.TrainerJson.RunSummary;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What the trainer Pods of one Job tell: pure readings of Pod objects, newest Pod first where order matters. */
public final class TrainerPods {

    /** Longest failure text carried into status.message and Events. */
    static final int MAX_MESSAGE = 1024;

    private TrainerPods() {
    }

    /**
     * A container that ended with a non-zero exit code.
     *
     * @param message the trainer's explanation: its last {@code error:} line, else the last line it left
     */
    public record ContainerExit(String pod, String container, int exitCode, String reason, String message) {
    }

    /** Newest first: creation time, then name (Pods created in the same second). */
    static List<Pod> newestFirst(List<Pod> pods) {
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(p -> p.getMetadata().getName()).reversed());
        return sorted;
    }

    /** The Pod that has not ended yet (a Job with parallelism 1 has at most one), if any. */
    public static Optional<Pod> active(List<Pod> pods) {
        return newestFirst(pods).stream().filter(p -> !ended(p) && p.getMetadata().getDeletionTimestamp() == null)
                .findFirst();
    }

    static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The newest run summary (Succeeded or Interrupted) a trainer container left as its termination message. */
    public static Optional<RunSummary> lastSummary(List<Pod> pods) {
        return newestFirst(pods).stream()
                .flatMap(p -> terminated(p, false))
                .filter(t -> ChildResources.TRAINER_CONTAINER.equals(t.container()))
                .map(t -> TrainerJson.summary(t.state().getMessage()))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** The newest container exit with a failure code (the trainer's or fetch's), if any. */
    public static Optional<ContainerExit> lastFailure(List<Pod> pods) {
        return newestFirst(pods).stream()
                .flatMap(p -> terminated(p, true))
                .filter(t -> t.state().getExitCode() != null && t.state().getExitCode() != 0
                        && t.state().getExitCode() != TrainerJobs.EXIT_INTERRUPTED)
                .map(t -> new ContainerExit(t.pod(), t.container(), t.state().getExitCode(),
                        t.state().getReason(), explain(t.state().getMessage())))
                .findFirst();
    }

    /** Pods beyond the first (retries, preemptions, suspensions) plus in-place container restarts. */
    public static int restarts(List<Pod> pods) {
        int containerRestarts = pods.stream().flatMap(p -> containerStatuses(p, true))
                .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
        return Math.max(0, pods.size() - 1) + containerRestarts;
    }

    /** When the earliest Pod was bound to a node (RFC 3339), if any was. */
    public static Optional<String> firstStart(List<Pod> pods) {
        return pods.stream().map(p -> p.getStatus() == null ? null : p.getStatus().getStartTime())
                .filter(Objects::nonNull).min(Comparator.naturalOrder());
    }

    /** The scheduler's reason while a Pod cannot be placed (PodScheduled False), e.g. "0/3 nodes are available". */
    public static Optional<String> schedulingProblem(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(PodCondition::getMessage)
                .map(m -> m == null || m.isBlank() ? "the Pod cannot be scheduled" : m)
                .findFirst();
    }

    /**
     * A container the kubelet cannot start until someone changes something: a Secret or key that does not exist
     * (CreateContainerConfigError) or an image it cannot pull. The kubelet keeps retrying, so the Pod recovers by
     * itself once the cause is fixed.
     *
     * @param reason  the kubelet's waiting reason
     * @param message the kubelet's explanation, e.g. {@code secret "hf-token" not found}
     */
    public record StartFailure(String pod, String container, String reason, String message) {

        public boolean imagePull() {
            return IMAGE_REASONS.contains(reason);
        }
    }

    private static final Set<String> CONFIG_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError");
    private static final Set<String> IMAGE_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

    /** The first container (init containers included) waiting for a reason that needs a user's change, if any. */
    public static Optional<StartFailure> startFailure(Pod pod) {
        return containerStatuses(pod, true)
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                .filter(s -> CONFIG_REASONS.contains(s.getState().getWaiting().getReason())
                        || IMAGE_REASONS.contains(s.getState().getWaiting().getReason()))
                .map(s -> new StartFailure(pod.getMetadata().getName(), s.getName(),
                        s.getState().getWaiting().getReason(),
                        explain(Objects.toString(s.getState().getWaiting().getMessage(), ""))))
                .findFirst();
    }

    /** Whether the fetch init container has not finished (it is waiting or running). */
    public static boolean fetching(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getInitContainerStatuses().stream()
                .filter(s -> ChildResources.FETCH_CONTAINER.equals(s.getName()))
                .anyMatch(s -> s.getState() == null || s.getState().getTerminated() == null);
    }

    /** The trainer container's declared /status port (the contract's 8080 unless the Pod says otherwise). */
    public static int statusPort(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getContainers() == null ? ChildResources.STATUS_PORT
                : pod.getSpec().getContainers().stream()
                        .filter(c -> ChildResources.TRAINER_CONTAINER.equals(c.getName()))
                        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                        .filter(p -> ChildResources.STATUS_PORT_NAME.equals(p.getName()))
                        .map(p -> p.getContainerPort())
                        .filter(Objects::nonNull)
                        .findFirst().orElse(ChildResources.STATUS_PORT);
    }

    /**
     * The part of a termination message that explains a failure. The trainer prints one {@code error: ...} line for
     * bad input; with FallbackToLogsOnError the message is the log's tail, so that line is looked for in it.
     */
    static String explain(String terminationMessage) {
        if (terminationMessage == null || terminationMessage.isBlank()) {
            return "";
        }
        List<String> lines = terminationMessage.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String chosen = lines.stream().filter(l -> l.startsWith("error:")).reduce((a, b) -> b)
                .orElse(lines.get(lines.size() - 1));
        return chosen.length() <= MAX_MESSAGE ? chosen : chosen.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private record Terminated(String pod, String container, ContainerStateTerminated state) {
    }

    /** Terminated containers of a Pod: the trainer's first, then (if asked) the init containers'. */
    private static Stream<Terminated> terminated(Pod pod, boolean withInit) {
        return containerStatuses(pod, withInit)
                .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> new Terminated(pod.getMetadata().getName(), s.getName(), s.getState().getTerminated()));
    }

    private static Stream<ContainerStatus> containerStatuses(Pod pod, boolean withInit) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        Stream<ContainerStatus> main = pod.getStatus().getContainerStatuses() == null ? Stream.empty()
                : pod.getStatus().getContainerStatuses().stream();
        Stream<ContainerStatus> init = !withInit || pod.getStatus().getInitContainerStatuses() == null
                ? Stream.empty() : pod.getStatus().getInitContainerStatuses().stream();
        return Stream.concat(main, init);
    }
}
