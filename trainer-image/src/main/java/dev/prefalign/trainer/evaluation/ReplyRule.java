package dev.prefalign.trainer.evaluation;

/**
 * A yes/no check of one reply, for behaviour that a rule can decide (politeness, a required format, a forbidden word).
 * The report gives, per model, the share of its greedy replies that pass; a rule also serves as a judge
 * ({@link RuleJudge}).
 *
 * <p>To add one: implement this interface with a public no-argument constructor, list the class in
 * {@code META-INF/services/dev.prefalign.trainer.evaluation.ReplyRule}, and put the jar on the trainer's class path;
 * experiments then name it in {@code spec.evaluation.rules} or {@code spec.evaluation.judge}.
 */
public interface ReplyRule {

    /** The name experiments use: lower-case words joined by '-'. */
    String name();

    /** One sentence for the report: what passing means. */
    String description();

    boolean passes(EvalPrompt prompt, String reply);
}
