package dev.prefalign.operator.status;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.RunPolicySpec;
import dev.prefalign.api.v1alpha1.status.CheckpointRef;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.api.v1alpha1.status.Progress;
import dev.prefalign.api.v1alpha1.status.QueueStatus;
import dev.prefalign.api.v1alpha1.validation.SpecViolation;
import dev.prefalign.operator.dependent.ChildResources;
import dev.prefalign.operator.status.TrainerJson.Checkpoint;
import dev.prefalign.operator.status.TrainerJson.RunSummary;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import dev.prefalign.operator.status.TrainerPods.ContainerExit;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The status of a PreferenceAlignmentJob as a pure function of what the cluster shows ({@link Observation}). The
 * operator keeps no memory between reconciles: what it must not forget (progress, checkpoints, restarts, the end of
 * a Job that has since been deleted) is carried over from the previous status.
 */
public final class StatusCalculator {

    private StatusCalculator() {
    }

    public static PreferenceAlignmentJobStatus compute(Observation o) {
        PreferenceAlignmentJob resource = o.resource();
        PreferenceAlignmentJobStatus old = resource.getStatus() != null ? resource.getStatus()
                : new PreferenceAlignmentJobStatus();
        long generation = resource.getMetadata().getGeneration() == null ? 0
                : resource.getMetadata().getGeneration();
        String now = o.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Optional<RunSummary> summary = TrainerPods.lastSummary(o.pods());
        String claim = ChildResources.claimName(resource);

        Verdict verdict = verdict(o, old, summary, claim);
        PreferenceAlignmentJobStatus status = new PreferenceAlignmentJobStatus();
        status.setObservedGeneration(generation);
        status.setPhase(verdict.phase());
        status.setMessage(verdict.message());
        status.setStartTime(old.getStartTime() != null ? old.getStartTime()
                : TrainerPods.firstStart(o.pods()).orElse(null));
        status.setCompletionTime(verdict.phase().isTerminal() ? completionTime(old, o.job(), now) : null);
        // Pods go away (ttlSecondsAfterFinished, a recreated Job): the count never goes down.
        status.setRestarts(Math.max(old.getRestarts() == null ? 0 : old.getRestarts(),
                TrainerPods.restarts(o.pods())));
        carryProgress(status, old, o.report(), summary, claim, resource.getSpec().getCheckpoints().getKeep());
        status.setQueue(verdict.phase() == Phase.Queued
                ? o.queue().map(q -> new QueueStatus(q.position(), q.reason())).orElse(null) : null);
        status.setPreemptions(preemptions(old, verdict, resource));
        status.setConditions(Conditions.of(verdict, status.getCheckpoints(), old.getConditions(), generation, now));
        return status;
    }

    private static Verdict verdict(Observation o, PreferenceAlignmentJobStatus old, Optional<RunSummary> summary,
            String claim) {
        List<SpecViolation> violations = o.violations();
        Verdict verdict;
        if (o.job().isEmpty()) {
            if (old.getPhase() != null && old.getPhase().isTerminal()) {
                // The Job was deleted after it ended (ttlSecondsAfterFinished): its end stays recorded.
                verdict = new Verdict(old.getPhase(), previousReason(old), old.getMessage(),
                        old.getPhase() == Phase.Failed);
            } else if (!violations.isEmpty()) {
                return invalidSpec(Phase.Pending, violations, "nothing was created");
            } else if (o.missingStorageClass().isPresent()) {
                return Verdict.stalled(Phase.Pending, "UnknownStorageClass", "StorageClass \""
                        + o.missingStorageClass().get() + "\" (spec.storage.storageClassName) does not exist, so "
                        + "nothing was created: a claim keeps its class for good. Create the class or change the "
                        + "field (kubectl get storageclass lists them); the job proceeds on its own.");
            } else {
                verdict = Verdict.progressing(Phase.Pending, "Creating", "Creating the trainer Job "
                        + ChildResources.jobName(o.resource()) + ".");
            }
        } else {
            verdict = fromJob(o, o.job().get(), summary, claim);
        }
        if (!violations.isEmpty() && !verdict.phase().isTerminal()) {
            // The Job runs the spec it was created with; the edit that broke the spec is not applied.
            return invalidSpec(verdict.phase(), violations, "the running Job keeps the spec it was created with");
        }
        if (!o.ignoredSpecChanges().isEmpty() && !verdict.phase().isTerminal()) {
            return Verdict.stalled(verdict.phase(), "SpecChangedAfterStart", String.join(", ",
                    o.ignoredSpecChanges()) + " changed after the trainer Job was created; the Job keeps the spec it "
                    + "was created with (only runPolicy.suspend and ttlSecondsAfterFinished apply to a created job). "
                    + "Undo the edit, or create a new PreferenceAlignmentJob to run the new spec.");
        }
        return verdict;
    }

    /**
     * A trainer that was past its start and is now held back again, though the user did not suspend it, was
     * preempted: by Kueue, or by the operator for a job of higher priority.
     */
    private static Integer preemptions(PreferenceAlignmentJobStatus old, Verdict verdict,
            PreferenceAlignmentJob resource) {
        int count = old.getPreemptions() == null ? 0 : old.getPreemptions();
        boolean wasStarted = old.getPhase() == Phase.Running || old.getPhase() == Phase.Initializing;
        if (wasStarted && verdict.phase() == Phase.Queued && !resource.getSpec().getRunPolicy().isSuspend()) {
            count++;
        }
        return count == 0 ? null : count;
    }

    private static Verdict invalidSpec(Phase phase, List<SpecViolation> violations, String consequence) {
        String list = violations.stream().map(SpecViolation::message).collect(Collectors.joining("; "));
        return Verdict.stalled(phase, "InvalidSpec", "The spec is invalid (" + consequence + "): " + list + ".");
    }

    private static Verdict fromJob(Observation o, Job job, Optional<RunSummary> summary, String claim) {
        PreferenceAlignmentJob resource = o.resource();
        if (jobCondition(job, "Complete").isPresent() || jobCondition(job, "SuccessCriteriaMet").isPresent()) {
            return Verdict.progressing(Phase.Succeeded, "Succeeded", summary.filter(RunSummary::succeeded)
                    .map(s -> String.format(Locale.ROOT, "Trained %d steps in %.0f s; the model is at %s.",
                            s.steps(), s.seconds(), WorkspacePaths.toSource(s.outputPath(), claim)))
                    .orElse("The trainer finished."));
        }
        Optional<JobCondition> failed = jobCondition(job, "Failed").or(() -> jobCondition(job, "FailureTarget"));
        if (failed.isPresent()) {
            return failure(resource.getSpec().getRunPolicy(), failed.get(), TrainerPods.lastFailure(o.pods()));
        }
        if (resource.getSpec().getRunPolicy().isSuspend()) {
            return Verdict.progressing(Phase.Suspended, "Suspended", "Suspended by spec.runPolicy.suspend: the "
                    + "trainer stops after writing a checkpoint and resumes from it when suspend is set to false.");
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return queued(job, o.queue());
        }
        Optional<Pod> active = TrainerPods.active(o.pods());
        if (active.isEmpty()) {
            return o.pods().isEmpty()
                    ? Verdict.progressing(Phase.Queued, "WaitingForPod", "Waiting for the trainer Pod to be "
                            + "created.")
                    : Verdict.progressing(Phase.Initializing, "Restarting", "Starting trainer Pod "
                            + (o.pods().size() + 1) + TrainerPods.lastFailure(o.pods())
                                    .map(e -> " after " + describe(e)).orElse("") + ".");
        }
        return fromPod(active.get(), o.report());
    }

    private static Verdict fromPod(Pod pod, Optional<TrainerReport> report) {
        String podPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Running".equals(podPhase)) {
            Optional<TrainerPods.StartFailure> blocked = TrainerPods.startFailure(pod);
            if (blocked.isPresent()) {
                return cannotStart(blocked.get());
            }
            Optional<String> unschedulable = TrainerPods.schedulingProblem(pod);
            if (unschedulable.isPresent()) {
                return Verdict.progressing(Phase.Queued, "Unschedulable", "Waiting for resources: "
                        + unschedulable.get());
            }
            return TrainerPods.fetching(pod)
                    ? Verdict.progressing(Phase.Initializing, "Fetching", "Downloading the model and dataset.")
                    : Verdict.progressing(Phase.Initializing, "Starting", "The trainer Pod " + pod.getMetadata()
                            .getName() + " is starting.");
        }
        if (report.isEmpty()) {
            return Verdict.progressing(Phase.Running, "Training", "The trainer is running; its progress has not "
                    + "been read yet.");
        }
        TrainerReport r = report.get();
        if (!r.training()) {
            return Verdict.progressing(Phase.Initializing, "Loading", "The trainer is " + r.phase()
                    + (r.message() == null || r.message().isBlank() ? "." : ": " + r.message()));
        }
        return Verdict.progressing(Phase.Running, "Training", r.totalSteps() > 0
                ? String.format(Locale.ROOT, "Step %d of %d (%.1f%%).", r.step(), r.totalSteps(), r.percent())
                : "Step " + r.step() + ".");
    }

    /** A Job held back by Kueue, by the operator's GPU budgets, or by someone else. */
    private static Verdict queued(Job job, Optional<QueueSlot> slot) {
        String queue = job.getMetadata().getLabels() == null ? null
                : job.getMetadata().getLabels().get(ChildResources.KUEUE_QUEUE_LABEL);
        if (slot.isPresent() && slot.get().impossible()) {
            return Verdict.stalled(Phase.Queued, "ExceedsBudget", "The job can never start: " + slot.get().reason()
                    + ". Ask for fewer GPUs (spec.resources.gpus), or raise the budget.");
        }
        if (queue != null) {
            return Verdict.progressing(Phase.Queued, "WaitingForAdmission", "Waiting for Kueue to admit the Job "
                    + "from LocalQueue " + queue + slot.map(s -> ": " + s.reason()).orElse("") + ".");
        }
        if (slot.isPresent() && slot.get().position() != null) {
            return Verdict.progressing(Phase.Queued, "WaitingForBudget", "Waiting for GPUs, number "
                    + slot.get().position() + " in the queue: " + slot.get().reason() + ".");
        }
        return Verdict.progressing(Phase.Queued, "JobSuspended", "The Job " + job.getMetadata().getName()
                + " was suspended by another controller.");
    }

    /** Stalled, not failed: the kubelet retries on its own and the Pod starts once the cause is fixed. */
    private static Verdict cannotStart(TrainerPods.StartFailure f) {
        String what = "The " + f.container() + " container of Pod " + f.pod() + " cannot start (" + f.reason() + ")"
                + (f.message().isEmpty() ? "" : ": " + f.message());
        return f.imagePull()
                ? Verdict.stalled(Phase.Initializing, "ImagePullFailed", what + ". Check spec.image, or the "
                        + "operator's default trainer image, and the registry's pull secret; the kubelet retries.")
                : Verdict.stalled(Phase.Initializing, "ContainerConfigError", what + ". Check that the Secret named "
                        + "in spec.model.tokenSecretRef exists in this namespace and holds that key; the kubelet "
                        + "retries and the trainer starts once it does.");
    }

    private static Verdict failure(RunPolicySpec runPolicy, JobCondition failed, Optional<ContainerExit> exit) {
        String reason = failed.getReason() == null ? "" : failed.getReason();
        if (exit.isPresent() && exit.get().exitCode() == 2) {
            return Verdict.stalled(Phase.Failed, "InvalidInput", "The trainer stopped on bad input: "
                    + orExitCode(exit.get()) + " Fix it, then delete and re-apply the PreferenceAlignmentJob.");
        }
        return switch (reason) {
            case "DeadlineExceeded" -> Verdict.stalled(Phase.Failed, "DeadlineExceeded", "The job ran longer than "
                    + "spec.runPolicy.activeDeadlineSeconds (" + runPolicy.getActiveDeadlineSeconds() + " s).");
            case "BackoffLimitExceeded" -> Verdict.stalled(Phase.Failed, "BackoffLimitExceeded", "The trainer "
                    + "failed " + (runPolicy.getBackoffLimit() + 1) + " times (spec.runPolicy.backoffLimit is "
                    + runPolicy.getBackoffLimit() + ")" + exit.map(e -> "; the last time: " + orExitCode(e))
                            .orElse("."));
            default -> Verdict.stalled(Phase.Failed, "JobFailed", "The trainer Job failed"
                    + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + (failed.getMessage() == null || failed.getMessage().isBlank() ? "" : ": "
                            + failed.getMessage())
                    + exit.map(e -> "; " + orExitCode(e)).orElse("."));
        };
    }

    /** The trainer's own words, else what Kubernetes knows about the exit. */
    private static String orExitCode(ContainerExit exit) {
        String where = "(container " + exit.container() + ", exit code " + exit.exitCode() + ")";
        String text = exit.message().isBlank() ? describe(exit) : exit.message() + " " + where;
        return text.endsWith(".") ? text : text + ".";
    }

    private static String describe(ContainerExit exit) {
        return "container " + exit.container() + " exited with code " + exit.exitCode()
                + (exit.reason() == null || exit.reason().isBlank() ? "" : " (" + exit.reason() + ")");
    }

    /** Whether the Job controller has ended the Job, either way (the conditions this calculator reads as the end). */
    public static boolean jobEnded(Job job) {
        return jobCondition(job, "Complete").isPresent() || jobCondition(job, "SuccessCriteriaMet").isPresent()
                || jobCondition(job, "Failed").isPresent() || jobCondition(job, "FailureTarget").isPresent();
    }

    private static Optional<JobCondition> jobCondition(Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static String completionTime(PreferenceAlignmentJobStatus old, Optional<Job> job, String now) {
        if (old.getCompletionTime() != null) {
            return old.getCompletionTime();
        }
        return job.map(j -> j.getStatus() == null ? null : j.getStatus().getCompletionTime())
                .or(() -> job.flatMap(j -> jobCondition(j, "Failed")).map(JobCondition::getLastTransitionTime))
                .orElse(now);
    }

    private static String previousReason(PreferenceAlignmentJobStatus old) {
        String type = old.getPhase() == Phase.Failed ? ConditionTypes.FAILED : ConditionTypes.SUCCEEDED;
        return Conditions.find(old.getConditions(), type).map(c -> c.getReason()).orElse(old.getPhase().name());
    }

    /**
     * Progress, metrics and checkpoints come from the live /status document while the trainer runs, from the newest
     * run summary once a trainer has ended, and otherwise stay as last recorded.
     */
    private static void carryProgress(PreferenceAlignmentJobStatus status, PreferenceAlignmentJobStatus old,
            Optional<TrainerReport> report, Optional<RunSummary> summary, String claim, int keep) {
        status.setProgress(old.getProgress());
        status.setMetrics(old.getMetrics());
        status.setCheckpoints(old.getCheckpoints());
        status.setOutputPath(old.getOutputPath());
        long recordedStep = old.getProgress() == null ? -1 : old.getProgress().getStep();
        if (report.isPresent()) {
            TrainerReport r = report.get();
            Progress progress = new Progress();
            progress.setStep(r.step());
            progress.setTotalSteps(r.totalSteps());
            progress.setEpoch(r.epoch());
            progress.setPercent(r.percent());
            progress.setEtaSeconds(r.etaSeconds());
            progress.setTokensPerSecond(r.tokensPerSecond());
            progress.setUpdatedAt(r.updatedAt());
            status.setProgress(progress);
            status.setMetrics(metrics(r.metrics(), r.evalMetrics(), old.getMetrics()));
            status.setCheckpoints(merge(r.checkpoints(), old.getCheckpoints(), claim, keep));
        } else if (summary.isPresent() && (summary.get().succeeded() || summary.get().steps() >= recordedStep)) {
            RunSummary s = summary.get();
            Progress progress = new Progress();
            progress.setStep(s.steps());
            progress.setTotalSteps(s.totalSteps());
            progress.setEpoch(old.getProgress() == null ? 0 : old.getProgress().getEpoch());
            progress.setPercent(s.totalSteps() > 0 ? 100.0 * s.steps() / s.totalSteps() : 0);
            progress.setEtaSeconds(s.succeeded() ? 0.0 : null);
            progress.setTokensPerSecond(s.tokensPerSecond());
            progress.setUpdatedAt(old.getProgress() == null ? null : old.getProgress().getUpdatedAt());
            status.setProgress(progress);
            status.setMetrics(metrics(s.metrics(), s.evalMetrics(), old.getMetrics()));
            status.setCheckpoints(merge(s.checkpoints(), old.getCheckpoints(), claim, keep));
            if (s.succeeded() && s.outputPath() != null) {
                status.setOutputPath(WorkspacePaths.toSource(s.outputPath(), claim));
            }
        }
    }

    /** Train and eval metrics in one map (eval ones carry TRL's eval_ prefix); sorted, so equal maps compare equal. */
    private static Map<String, Double> metrics(Map<String, Double> train, Map<String, Double> eval,
            Map<String, Double> old) {
        Map<String, Double> merged = new TreeMap<>();
        merged.putAll(TrainerJson.finite(train));
        merged.putAll(TrainerJson.finite(eval));
        return merged.isEmpty() ? old : new LinkedHashMap<>(merged);
    }

    /**
     * A trainer lists only the checkpoints its own process wrote; those from before a restart are remembered here.
     * Newest first, at most spec.checkpoints.keep (the trainer deletes older ones).
     */
    private static List<CheckpointRef> merge(List<Checkpoint> reported, List<CheckpointRef> old, String claim,
            int keep) {
        Map<Long, CheckpointRef> byStep = new TreeMap<>(Comparator.reverseOrder());
        if (old != null) {
            old.forEach(c -> byStep.put(c.getStep(), c));
        }
        if (reported != null) {
            reported.forEach(c -> byStep.put(c.step(), new CheckpointRef(c.step(),
                    WorkspacePaths.toSource(c.path(), claim), c.time())));
        }
        List<CheckpointRef> merged = new ArrayList<>(byStep.values()).subList(0, Math.min(keep, byStep.size()));
        return merged.isEmpty() ? old : new ArrayList<>(merged);
    }
}
