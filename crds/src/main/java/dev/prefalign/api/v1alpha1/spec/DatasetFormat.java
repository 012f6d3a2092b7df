package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How preference rows are laid out; written in lower case in manifests. */
public enum DatasetFormat {
    /** Detect from the first rows: strings mean STANDARD, message lists mean CONVERSATIONAL. */
    @JsonProperty("auto") AUTO,
    /** prompt, chosen and rejected are plain strings. */
    @JsonProperty("standard") STANDARD,
    /** chosen and rejected are lists of {role, content} messages rendered with the model's chat template. */
    @JsonProperty("conversational") CONVERSATIONAL
}
