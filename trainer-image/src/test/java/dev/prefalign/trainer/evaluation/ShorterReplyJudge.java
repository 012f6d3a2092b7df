package dev.prefalign.trainer.evaluation;

/** A judge supplied the way users supply theirs: a class on the class path, listed in META-INF/services. */
public final class ShorterReplyJudge implements Judge {
    @Override
    public String name() {
        return "shorter-reply";
    }

    @Override
    public String description() {
        return "the shorter reply wins";
    }

    @Override
    public Verdict compare(EvalPrompt prompt, String first, String second) {
        return first.length() == second.length() ? Verdict.TIE
                : first.length() < second.length() ? Verdict.FIRST : Verdict.SECOND;
    }
}
