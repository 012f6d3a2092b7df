package dev.prefalign.trainer.evaluation;

import dev.prefalign.trainer.demo.PolitenessTask;

/** The demo's preference as a rule: polite markers and no rude ones ({@link PolitenessTask#isPolite}). */
public final class PolitenessRule implements ReplyRule {
    public static final String NAME = "politeness";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reply has a polite marker (happy, sure, certainly, glad, of course) and no rude one";
    }

    @Override
    public boolean passes(EvalPrompt prompt, String reply) {
        return PolitenessTask.isPolite(reply);
    }
}
