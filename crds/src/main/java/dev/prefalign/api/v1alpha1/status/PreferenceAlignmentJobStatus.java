package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Observed state of a job. Written by the operator only; the trainer reports, it never patches the resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreferenceAlignmentJobStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Lifecycle phase: Pending, Queued, Initializing, Running, Suspended, Succeeded or "
            + "Failed.")
    private Phase phase;

    @JsonPropertyDescription("Ready, Reconciling and Stalled (kstatus) plus Succeeded, Failed, Suspended and "
            + "CheckpointSaved.")
    private List<Condition> conditions;

    @JsonPropertyDescription("When the trainer first started (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the job succeeded or failed (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("Times the trainer was restarted, for any reason.")
    private Integer restarts;

    @JsonPropertyDescription("Human-readable summary of the state; on failure, what went wrong and what to fix.")
    private String message;

    @JsonPropertyDescription("Training progress as last reported by the trainer.")
    private Progress progress;

    @JsonPropertyDescription("Latest train and eval metrics under TRL's names (loss, rewards/chosen, "
            + "rewards/accuracies, eval_loss, ...).")
    private Map<String, Double> metrics;

    @JsonPropertyDescription("Complete checkpoints on the job's volume, newest first.")
    private List<CheckpointRef> checkpoints;

    @JsonPropertyDescription("Where the final model lies, in Hugging Face layout.")
    private String outputPath;

    @JsonPropertyDescription("While the job waits for GPUs: its place in the operator's queue and what holds it back.")
    private QueueStatus queue;

    @JsonPropertyDescription("Times a running trainer was stopped to give its GPUs to a job of higher priority (by "
            + "Kueue or the operator's budgets); each time it checkpointed and went back to the queue.")
    private Integer preemptions;

    public QueueStatus getQueue() {
        return queue;
    }

    public void setQueue(QueueStatus queue) {
        this.queue = queue;
    }

    public Integer getPreemptions() {
        return preemptions;
    }

    public void setPreemptions(Integer preemptions) {
        this.preemptions = preemptions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public Integer getRestarts() {
        return restarts;
    }

    public void setRestarts(Integer restarts) {
        this.restarts = restarts;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Progress getProgress() {
        return progress;
    }

    public void setProgress(Progress progress) {
        this.progress = progress;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public List<CheckpointRef> getCheckpoints() {
        return checkpoints;
    }

    public void setCheckpoints(List<CheckpointRef> checkpoints) {
        this.checkpoints = checkpoints;
    }

    public String getOutputPath() {
        return outputPath;
    }

    public void setOutputPath(String outputPath) {
        this.outputPath = outputPath;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferenceAlignmentJobStatus other
                && Objects.equals(observedGeneration, other.observedGeneration)
                && phase == other.phase
                && Objects.equals(conditions, other.conditions)
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(completionTime, other.completionTime)
                && Objects.equals(restarts, other.restarts)
                && Objects.equals(message, other.message)
                && Objects.equals(progress, other.progress)
                && Objects.equals(metrics, other.metrics)
                && Objects.equals(checkpoints, other.checkpoints)
                && Objects.equals(outputPath, other.outputPath)
                && Objects.equals(queue, other.queue)
                && Objects.equals(preemptions, other.preemptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, startTime, completionTime, restarts, message,
                progress, metrics, checkpoints, outputPath, queue, preemptions);
    }

    @Override
    public String toString() {
        return "PreferenceAlignmentJobStatus{observedGeneration=" + observedGeneration + ", phase=" + phase
                + ", conditions=" + conditions + ", startTime=" + startTime + ", completionTime=" + completionTime
                + ", restarts=" + restarts + ", message=" + message + ", progress=" + progress + ", metrics="
                + metrics + ", checkpoints=" + checkpoints + ", outputPath=" + outputPath + ", queue=" + queue
                + ", preemptions=" + preemptions + "}";
    }
}
