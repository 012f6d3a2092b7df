package dev.prefalign.trainer.evaluation;

/** A rule as a judge: a reply that passes beats one that does not; two that agree tie. */
public record RuleJudge(ReplyRule rule) implements Judge {

    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public String description() {
        return "a reply that passes the rule " + rule.name() + " beats one that does not";
    }

    @Override
    public Verdict compare(EvalPrompt prompt, String first, String second) {
        boolean a = rule.passes(prompt, first);
        boolean b = rule.passes(prompt, second);
        return a == b ? Verdict.TIE : a ? Verdict.FIRST : Verdict.SECOND;
    }
}
