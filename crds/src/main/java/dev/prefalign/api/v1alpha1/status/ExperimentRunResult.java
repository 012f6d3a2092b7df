package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** One run of an experiment as its job last reported it: a row of the experiment's results table. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExperimentRunResult {

    @JsonPropertyDescription("The run's PreferenceAlignmentJob: <experiment>-<index>-<description>.")
    private String name;

    @JsonPropertyDescription("What the run is: its method and the values it sets.")
    private String description;

    @JsonPropertyDescription("Field (relative to spec) -> the value this run sets on top of the base.")
    private Map<String, String> settings;

    @JsonPropertyDescription("The job's phase; Pending while it waits for its turn (spec.maxConcurrent).")
    private Phase phase;

    @JsonPropertyDescription("The job's status.message: on failure, what went wrong.")
    private String message;

    @JsonPropertyDescription("The job's latest train and eval metrics under TRL's names.")
    private Map<String, Double> metrics;

    @JsonPropertyDescription("Where the run's model lies, once it succeeded.")
    private String outputPath;

    @JsonPropertyDescription("When its trainer first started (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When it succeeded or failed (RFC 3339).")
    private String completionTime;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Map<String, String> getSettings() {
        return settings;
    }

    public void setSettings(Map<String, String> settings) {
        this.settings = settings;
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public String getOutputPath() {
        return outputPath;
    }

    public void setOutputPath(String outputPath) {
        this.outputPath = outputPath;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentRunResult other
                && Objects.equals(name, other.name)
                && Objects.equals(description, other.description)
                && Objects.equals(settings, other.settings)
                && Objects.equals(phase, other.phase)
                && Objects.equals(message, other.message)
                && Objects.equals(metrics, other.metrics)
                && Objects.equals(outputPath, other.outputPath)
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(completionTime, other.completionTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, settings, phase, message, metrics, outputPath, startTime, completionTime);
    }
}
