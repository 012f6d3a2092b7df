package dev.prefalign.trainer.status;

import java.util.Locale;

/**
 * What the trainer process is doing. Reported as {@code phase} in /status and as {@code prefalign_phase{phase=...}};
 * distinct from the CR's phase, which the operator derives from the Job and from this.
 */
public enum Phase {
    STARTING("the process started; nothing loaded yet"),
    DOWNLOADING("fetching hf:// models or datasets into the cache"),
    LOADING("loading weights, tokenizing the dataset, precomputing reference log-probs"),
    TRAINING("running optimiser steps"),
    EVALUATING("scoring the eval set"),
    CHECKPOINTING("writing a checkpoint"),
    EXPORTING("writing the final model"),
    SUCCEEDED("the run finished and the model is exported"),
    FAILED("the run stopped on an error; see message"),
    INTERRUPTED("the run was asked to stop (SIGTERM) and ends after its checkpoint");

    private final String description;

    Phase(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The name on the wire: lower case, as in /status and the Prometheus label. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A phase that only an explicit {@link TrainingStatus#phase} call may leave: reports of work do not. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == INTERRUPTED;
    }
}
