package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Numeric precision of training; written in lower case in manifests. What each maps to is the trainer's call. */
public enum Precision {
    /** fp16 mixed precision on a GPU, fp32 on a CPU. */
    @JsonProperty("auto") AUTO,
    @JsonProperty("fp32") FP32,
    @JsonProperty("fp16") FP16,
    @JsonProperty("bf16") BF16
}
