package dev.prefalign.trainer.tokens;

import java.util.Arrays;

/**
 * Truncation as alignment-math.md defines it: the prompt keeps its last {@code maxPromptLength} tokens (the end of a
 * conversation matters most), then the completion keeps its start so that prompt + completion fits {@code maxLength}.
 */
public record Truncation(int maxPromptLength, int maxLength) {

    public Truncation {
        if (maxPromptLength <= 0 || maxLength <= maxPromptLength) {
            throw new IllegalArgumentException("need 0 < maxPromptLength (" + maxPromptLength + ") < maxLength ("
                    + maxLength + ")");
        }
    }

    public int[] prompt(int[] prompt) {
        return prompt.length <= maxPromptLength ? prompt : Arrays.copyOfRange(prompt, prompt.length - maxPromptLength,
                prompt.length);
    }

    /** The completion cut to fit after an already truncated prompt. */
    public int[] completion(int[] truncatedPrompt, int[] completion) {
        int room = maxLength - truncatedPrompt.length;
        return completion.length <= room ? completion : Arrays.copyOf(completion, room);
    }
}
