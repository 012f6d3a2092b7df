package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** Observed state of an experiment, written by the operator only: counts, and a results table of its runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreferenceAlignmentExperimentStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Pending (nothing created yet, or an invalid spec), Running (jobs created or waiting), Succeeded (every run succeeded) or Failed (every run ended, at least one failed).")
    private Phase phase;

    @JsonPropertyDescription("Ready, Reconciling and Stalled (kstatus).")
    private List<Condition> conditions;

    @JsonPropertyDescription("Human-readable summary; for an invalid spec, every problem with the field and run it concerns.")
    private String message;

    @JsonPropertyDescription("How many runs the grid and variations expand into.")
    private Integer runs;

    @JsonPropertyDescription("Runs whose job exists and has not ended.")
    private Integer active;

    @JsonPropertyDescription("Runs whose job succeeded.")
    private Integer succeeded;

    @JsonPropertyDescription("Runs whose job failed.")
    private Integer failed;

    @JsonPropertyDescription("When the first job was created (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the last run ended (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("One row per run, in plan order, updated as the jobs report.")
    private List<ExperimentRunResult> results;

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

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Integer getRuns() {
        return runs;
    }

    public void setRuns(Integer runs) {
        this.runs = runs;
    }

    public Integer getActive() {
        return active;
    }

    public void setActive(Integer active) {
        this.active = active;
    }

    public Integer getSucceeded() {
        return succeeded;
    }

    public void setSucceeded(Integer succeeded) {
        this.succeeded = succeeded;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
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

    public List<ExperimentRunResult> getResults() {
        return results;
    }

    public void setResults(List<ExperimentRunResult> results) {
        this.results = results;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferenceAlignmentExperimentStatus other
                && Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(phase, other.phase)
                && Objects.equals(conditions, other.conditions)
                && Objects.equals(message, other.message)
                && Objects.equals(runs, other.runs)
                && Objects.equals(active, other.active)
                && Objects.equals(succeeded, other.succeeded)
                && Objects.equals(failed, other.failed)
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(completionTime, other.completionTime)
                && Objects.equals(results, other.results);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, message, runs, active, succeeded, failed, startTime, completionTime, results);
    }
}
