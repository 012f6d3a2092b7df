package dev.prefalign.trainer.tokens;

/** A preference pair after tokenization and truncation: the prompt and both completions (EOS included). */
public record TokenizedPair(String origin, int[] prompt, int[] chosen, int[] rejected) {
    public int tokens() {
        return 2 * prompt.length + chosen.length + rejected.length;
    }
}
