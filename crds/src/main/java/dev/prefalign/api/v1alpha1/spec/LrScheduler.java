package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Learning-rate schedule after the linear warmup; written in lower case in manifests. */
public enum LrScheduler {
    @JsonProperty("constant") CONSTANT,
    @JsonProperty("linear") LINEAR,
    @JsonProperty("cosine") COSINE
}
