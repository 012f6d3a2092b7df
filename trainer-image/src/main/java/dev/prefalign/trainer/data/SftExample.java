package dev.prefalign.trainer.data;

import java.util.Objects;

/**
 * One supervised fine-tuning example. The prompt may be empty ({@code Text("")} for plain language modelling,
 * {@code Chat(List.of())} for a conversation that starts with the assistant); the loss covers the completion.
 */
public record SftExample(String origin, Segment prompt, Segment completion) {
    public SftExample {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }
}
