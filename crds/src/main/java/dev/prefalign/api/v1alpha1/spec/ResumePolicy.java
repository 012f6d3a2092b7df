package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a (re)started trainer begins; written in lower case in manifests. */
public enum ResumePolicy {
    /** From the newest complete checkpoint on the job's volume, if any. */
    @JsonProperty("latest") LATEST,
    /** From the initial weights, ignoring existing checkpoints. */
    @JsonProperty("none") NONE
}
