package dev.prefalign.trainer.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which of two replies to the same prompt is better. Win rates of one model's greedy replies over another's are
 * counted with a judge (ties count half).
 *
 * <p>Every {@link ReplyRule} is a judge already ({@link RuleJudge}). A judge that needs more than a rule (a reward
 * model, a comparison of the two replies) implements this interface with a public no-argument constructor, is listed
 * in {@code META-INF/services/dev.prefalign.trainer.evaluation.Judge}, and goes on the trainer's class path.
 */
public interface Judge extends AutoCloseable {

    /** The name experiments use in {@code spec.evaluation.judge}. */
    String name();

    /** One sentence for the report: what the judge prefers. */
    String description();

    Verdict compare(EvalPrompt prompt, String first, String second);

    /**
     * Verdicts for many comparisons at once, in order (the three lists have the same size). A judge that is cheaper in
     * bulk (a reward model scores replies in batches) overrides it; the verdicts must equal {@link #compare}'s.
     */
    default List<Verdict> compareAll(List<EvalPrompt> prompts, List<String> first, List<String> second) {
        List<Verdict> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(compare(prompts.get(i), first.get(i), second.get(i)));
        }
        return out;
    }

    /** Releases what the judge holds (a reward model's weights); most judges hold nothing. */
    @Override
    default void close() {
    }
}
