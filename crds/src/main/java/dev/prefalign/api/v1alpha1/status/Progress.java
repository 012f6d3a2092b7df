package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** How far training has come, as last reported by the trainer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Progress {

    @JsonPropertyDescription("Optimiser steps done.")
    private long step;

    @JsonPropertyDescription("Optimiser steps planned in all.")
    private long totalSteps;

    @JsonPropertyDescription("Fractional epoch reached, e.g. 1.5.")
    private double epoch;

    @JsonPropertyDescription("Percent of totalSteps done, 0 to 100.")
    private double percent;

    @JsonPropertyDescription("Estimated seconds until training ends; absent until it can be estimated.")
    private Double etaSeconds;

    @JsonPropertyDescription("Training throughput in tokens per second over recent steps.")
    private Double tokensPerSecond;

    @JsonPropertyDescription("When the trainer reported this (RFC 3339).")
    private String updatedAt;

    public long getStep() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    public long getTotalSteps() {
        return totalSteps;
    }

    public void setTotalSteps(long totalSteps) {
        this.totalSteps = totalSteps;
    }

    public double getEpoch() {
        return epoch;
    }

    public void setEpoch(double epoch) {
        this.epoch = epoch;
    }

    public double getPercent() {
        return percent;
    }

    public void setPercent(double percent) {
        this.percent = percent;
    }

    public Double getEtaSeconds() {
        return etaSeconds;
    }

    public void setEtaSeconds(Double etaSeconds) {
        this.etaSeconds = etaSeconds;
    }

    public Double getTokensPerSecond() {
        return tokensPerSecond;
    }

    public void setTokensPerSecond(Double tokensPerSecond) {
        this.tokensPerSecond = tokensPerSecond;
    }

    public String getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(String updatedAt) {
        this.updatedAt = updatedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Progress other
                && step == other.step
                && totalSteps == other.totalSteps
                && Double.compare(epoch, other.epoch) == 0
                && Double.compare(percent, other.percent) == 0
                && Objects.equals(etaSeconds, other.etaSeconds)
                && Objects.equals(tokensPerSecond, other.tokensPerSecond)
                && Objects.equals(updatedAt, other.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, totalSteps, epoch, percent, etaSeconds, tokensPerSecond, updatedAt);
    }

    @Override
    public String toString() {
        return "Progress{step=" + step + ", totalSteps=" + totalSteps + ", epoch=" + epoch + ", percent=" + percent
                + ", etaSeconds=" + etaSeconds + ", tokensPerSecond=" + tokensPerSecond + ", updatedAt=" + updatedAt
                + "}";
    }
}
