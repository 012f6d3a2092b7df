package dev.prefalign.trainer.data;

import java.util.List;

/** Checks that a completion is something to train on. */
final class Completions {

    private Completions() {
    }

    static void requireTrainable(String field, Segment completion) throws InvalidRowException {
        if (completion.isEmpty()) {
            throw new InvalidRowException(field, "the completion is empty: there is nothing to train on");
        }
        if (completion instanceof Segment.Chat chat) {
            List<Message> messages = chat.messages();
            String lastRole = messages.get(messages.size() - 1).role();
            if (!lastRole.equals("assistant")) {
                throw new InvalidRowException(field, "the completion's last message is from '" + lastRole
                        + "', not the assistant: a conversational completion must end with the assistant's answer");
            }
        }
    }
}
