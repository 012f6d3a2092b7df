package dev.prefalign.trainer.data;

import java.util.Objects;

/** One chat message, as in the Hugging Face conversational dataset format ({@code {role, content}}). */
public record Message(String role, String content) {
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
