package dev.prefalign.trainer.evaluation;

import java.util.Objects;

/**
 * A prompt that models reply to, with the pair it came from when there is one: rules and judges may use the chosen and
 * rejected completions as the data's own statement of what is preferred.
 *
 * @param prompt   the prompt as the model saw it, decoded without special tokens
 * @param chosen   the preferred completion of the pair; empty when the prompt has no pair
 * @param rejected the dispreferred completion of the pair; empty when the prompt has no pair
 */
public record EvalPrompt(String prompt, String chosen, String rejected) {
    public EvalPrompt {
        Objects.requireNonNull(prompt, "prompt");
        chosen = chosen == null ? "" : chosen;
        rejected = rejected == null ? "" : rejected;
    }

    /** A prompt without a preference pair (e.g. a request written for a generation check). */
    public static EvalPrompt of(String prompt) {
        return new EvalPrompt(prompt, "", "");
    }

    public boolean hasPair() {
        return !chosen.isEmpty() || !rejected.isEmpty();
    }
}
