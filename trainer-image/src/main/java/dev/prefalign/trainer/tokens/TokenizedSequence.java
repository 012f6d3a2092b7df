package dev.prefalign.trainer.tokens;

/** An SFT example after tokenization and truncation; the loss covers the completion only. */
public record TokenizedSequence(String origin, int[] prompt, int[] completion) {
}
