package dev.prefalign.trainer.data;

import java.util.List;

/**
 * The prompt of a preference pair without a {@code prompt} column: what chosen and rejected share at the start
 * (TRL's {@code extract_prompt}), the rest being the two completions.
 */
final class ImplicitPrompt {

    private ImplicitPrompt() {
    }

    record Split(Segment prompt, Segment chosen, Segment rejected) {
    }

    /** The longest common character prefix; a trailing space goes to the completions, as TRL does. */
    static Split ofText(String chosen, String rejected) throws InvalidRowException {
        int length = commonPrefixLength(chosen, rejected);
        if (length > 0 && chosen.charAt(length - 1) == ' ') {
            // Tokenizers attach a leading space to the next word: keep " Paris" whole in the completion.
            length--;
        }
        if (length == 0) {
            throw new InvalidRowException("chosen", "there is no 'prompt' column and chosen and rejected start"
                    + " differently, so the prompt cannot be inferred: add a 'prompt' column");
        }
        return new Split(new Segment.Text(chosen.substring(0, length)), new Segment.Text(chosen.substring(length)),
                new Segment.Text(rejected.substring(length)));
    }

    /** The longest run of identical leading messages (trl-lib/ultrafeedback_binarized stores whole conversations). */
    static Split ofMessages(List<Message> chosen, List<Message> rejected) throws InvalidRowException {
        int shared = sharedMessages(chosen, rejected);
        if (shared == 0) {
            throw new InvalidRowException("chosen", "there is no 'prompt' column and the chosen and rejected"
                    + " conversations share no leading message, so the prompt cannot be inferred: add a 'prompt' column");
        }
        return new Split(new Segment.Chat(chosen.subList(0, shared)),
                new Segment.Chat(chosen.subList(shared, chosen.size())),
                new Segment.Chat(rejected.subList(shared, rejected.size())));
    }

    static int sharedMessages(List<Message> a, List<Message> b) {
        int shared = 0;
        while (shared < a.size() && shared < b.size() && a.get(shared).equals(b.get(shared))) {
            shared++;
        }
        return shared;
    }

    private static int commonPrefixLength(String a, String b) {
        int length = 0;
        int limit = Math.min(a.length(), b.length());
        while (length < limit && a.charAt(length) == b.charAt(length)) {
            length++;
        }
        if (length > 0 && Character.isHighSurrogate(a.charAt(length - 1))) {
            length--; // never split a character outside the Basic Multilingual Plane (an emoji) in two
        }
        return length;
    }
}
