package dev.prefalign.trainer.evaluation;

/** A model's greedy reply to one evaluation prompt (flat, so that evaluation.json stays easy to read). */
public record Generation(String prompt, String chosen, String rejected, String reply) {

    public static Generation of(EvalPrompt prompt, String reply) {
        return new Generation(prompt.prompt(), prompt.chosen(), prompt.rejected(), reply);
    }

    public EvalPrompt context() {
        return new EvalPrompt(prompt, chosen, rejected);
    }
}
