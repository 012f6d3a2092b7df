package dev.prefalign.trainer.data;

import java.util.List;
import java.util.Objects;

/**
 * A prompt or a completion before tokenization: plain text (standard format) or chat messages (conversational format),
 * which the tokenization step renders with the model's chat template.
 */
public sealed interface Segment {

    /** True when there is nothing to train on: no characters, or no message with any content. */
    boolean isEmpty();

    record Text(String text) implements Segment {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public boolean isEmpty() {
            return text.isEmpty();
        }
    }

    record Chat(List<Message> messages) implements Segment {
        public Chat {
            messages = List.copyOf(messages);
        }

        @Override
        public boolean isEmpty() {
            return messages.stream().allMatch(m -> m.content().isEmpty());
        }
    }
}
