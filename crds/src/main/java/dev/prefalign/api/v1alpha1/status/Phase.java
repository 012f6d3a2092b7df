package dev.prefalign.api.v1alpha1.status;

/** Where a job is in its lifecycle; serialised as written. */
public enum Phase {
    /** Accepted, nothing created yet. */
    Pending,
    /** Its Job exists but is held by a queue (e.g. Kueue) or waits for resources. */
    Queued,
    /** The trainer is starting: fetching the model and dataset, loading weights. */
    Initializing,
    /** The trainer is taking optimiser steps. */
    Running,
    /** spec.runPolicy.suspend is true; the newest checkpoint is kept for resuming. */
    Suspended,
    /** Training finished and the final model was written to status.outputPath. */
    Succeeded,
    /** The job failed for good; status.message says why and what to fix. */
    Failed;

    /** The phase a status records; a job not yet given a status (or a phase) counts as Pending. */
    public static Phase of(PreferenceAlignmentJobStatus status) {
        return status == null || status.getPhase() == null ? Pending : status.getPhase();
    }

    /** Terminal phases never change again for the same generation. */
    public boolean isTerminal() {
        return this == Succeeded || this == Failed;
    }
}
