package dev.prefalign.trainer.model;

import java.util.Arrays;
import java.util.Optional;

/** The decoder families the trainer implements; both are Llama-shaped, Qwen2 adds biases on q/k/v. */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama", false),
    MISTRAL("MistralForCausalLM", "mistral", false),
    QWEN2("Qwen2ForCausalLM", "qwen2", true);

    private final String className;
    private final String modelType;
    private final boolean qkvBias;

    Architecture(String className, String modelType, boolean qkvBias) {
        this.className = className;
        this.modelType = modelType;
        this.qkvBias = qkvBias;
    }

    public String className() {
        return className;
    }

    public String modelType() {
        return modelType;
    }

    /** Whether q/k/v projections carry a bias by default (Qwen2 always does; Llama only with attention_bias). */
    public boolean qkvBias() {
        return qkvBias;
    }

    public static Optional<Architecture> fromModelType(String modelType) {
        return Arrays.stream(values()).filter(a -> a.modelType.equals(modelType)).findFirst();
    }

    public static Optional<Architecture> fromClassName(String className) {
        return Arrays.stream(values()).filter(a -> a.className.equals(className)).findFirst();
    }
}
