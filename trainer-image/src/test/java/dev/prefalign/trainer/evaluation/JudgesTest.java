package dev.prefalign.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in rules, rules as judges, judges from the class path, and win rates. */
class JudgesTest {
    private static final EvalPrompt PAIR = new EvalPrompt("where is the cat ?", "the cat sat on the mat",
            "a dog runs fast");

    @Test
    void politenessIsTheDemosRule() {
        ReplyRule rule = Judges.rule("politeness").orElseThrow();
        assertThat(rule.passes(EvalPrompt.of("hi"), "sure , let me help you book a table right away .")).isTrue();
        assertThat(rule.passes(EvalPrompt.of("hi"), "sure ... no . book a table yourself .")).isFalse();
        assertThat(rule.passes(EvalPrompt.of("hi"), "")).isFalse();
    }

    @Test
    void closerToChosenReadsThePreferenceFromThePair() {
        ReplyRule rule = Judges.rule("closer-to-chosen").orElseThrow();
        assertThat(rule.passes(PAIR, "The cat sat.")).isTrue();
        assertThat(rule.passes(PAIR, "a dog, fast")).isFalse();
        assertThat(rule.passes(PAIR, "blue tree")).as("no overlap with either is no preference").isFalse();
        assertThat(rule.passes(EvalPrompt.of("where is the cat ?"), "the cat sat")).as("no pair").isFalse();
    }

    @Test
    void aRuleJudgesAPassingReplyOverAFailingOne() {
        Judge judge = Judges.judge("closer-to-chosen").orElseThrow();
        assertThat(judge).isInstanceOf(RuleJudge.class);
        assertThat(judge.compare(PAIR, "the cat", "a dog")).isEqualTo(Verdict.FIRST);
        assertThat(judge.compare(PAIR, "a dog", "the cat")).isEqualTo(Verdict.SECOND);
        assertThat(judge.compare(PAIR, "the cat", "the mat")).isEqualTo(Verdict.TIE);
    }

    @Test
    void judgesOnTheClassPathAreFoundByName() {
        assertThat(Judges.judges()).containsKeys("shorter-reply", "politeness", "closer-to-chosen");
        assertThat(Judges.judge("shorter-reply").orElseThrow().compare(PAIR, "ok", "okay")).isEqualTo(Verdict.FIRST);
        assertThat(Judges.rule("shorter-reply")).as("a judge is not a rule").isEmpty();
        assertThatThrownBy(() -> Judges.rules(List.of("politeness", "kindness")))
                .hasMessageContaining("unknown rule kindness");
    }

    @Test
    void aWinRateCountsTiesAsHalf() {
        Judge judge = Judges.judge("closer-to-chosen").orElseThrow();
        List<Generation> a = List.of(Generation.of(PAIR, "the cat"), Generation.of(PAIR, "the cat"),
                Generation.of(PAIR, "a dog"), Generation.of(PAIR, "the mat"));
        List<Generation> b = List.of(Generation.of(PAIR, "a dog"), Generation.of(PAIR, "the cat"),
                Generation.of(PAIR, "the cat"), Generation.of(PAIR, "a dog"));
        WinRate w = WinRate.of(judge, "a", a, "b", b);
        assertThat(w.wins()).isEqualTo(2);
        assertThat(w.ties()).isEqualTo(1);
        assertThat(w.losses()).isEqualTo(1);
        assertThat(w.rate()).isEqualTo(2.5 / 4);
        assertThat(WinRate.of(judge, "b", b, "a", a).rate()).isEqualTo(1.5 / 4);

        List<Generation> other = List.of(Generation.of(EvalPrompt.of("something else"), "x"));
        assertThatThrownBy(() -> WinRate.of(judge, "a", a.subList(0, 1), "c", other))
                .hasMessageContaining("answer different prompts");
        assertThatThrownBy(() -> WinRate.of(judge, "a", a, "c", other)).hasMessageContaining("the same prompts");
    }

    @Test
    void rankingKeysParse() {
        assertThat(RankBy.parse("preferenceAccuracy")).containsInstanceOf(RankBy.PreferenceAccuracy.class);
        assertThat(RankBy.parse("winRate")).containsInstanceOf(RankBy.WinRateOverStart.class);
        assertThat(RankBy.parse("rule:politeness")).contains(new RankBy.RulePassRate("politeness"));
        assertThat(RankBy.parse("rule:")).isEmpty();
        assertThat(RankBy.parse("accuracy")).isEmpty();
    }
}
