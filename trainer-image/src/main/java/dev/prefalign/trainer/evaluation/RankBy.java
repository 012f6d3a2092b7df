package dev.prefalign.trainer.evaluation;

import java.util.Optional;

/**
 * What the report's ranking sorts runs by (higher is better; the held-out logp margin breaks ties). Written in an
 * experiment as {@code preferenceAccuracy}, {@code logpMargin}, {@code winRate} or {@code rule:<name>}.
 */
public sealed interface RankBy {

    /** The text an experiment writes. */
    String key();

    /** Words for the report. */
    String label();

    /** The run's score; NaN when it has none (such runs rank last). */
    double score(ModelEvaluation evaluation, WinRate vsStart);

    static Optional<RankBy> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith("rule:") && text.length() > "rule:".length()) {
            return Optional.of(new RulePassRate(text.substring("rule:".length())));
        }
        return switch (text) {
            case "preferenceAccuracy" -> Optional.of(new PreferenceAccuracy());
            case "logpMargin" -> Optional.of(new LogpMargin());
            case "winRate" -> Optional.of(new WinRateOverStart());
            default -> Optional.empty();
        };
    }

    /** Share of held-out pairs whose chosen completion the model finds more likely. */
    record PreferenceAccuracy() implements RankBy {
        @Override
        public String key() {
            return "preferenceAccuracy";
        }

        @Override
        public String label() {
            return "held-out preference accuracy";
        }

        @Override
        public double score(ModelEvaluation evaluation, WinRate vsStart) {
            return evaluation == null ? Double.NaN : evaluation.preferenceAccuracy();
        }
    }

    /** Mean log p(chosen) - log p(rejected) on the held-out pairs. */
    record LogpMargin() implements RankBy {
        @Override
        public String key() {
            return "logpMargin";
        }

        @Override
        public String label() {
            return "held-out logp margin";
        }

        @Override
        public double score(ModelEvaluation evaluation, WinRate vsStart) {
            return evaluation == null ? Double.NaN : evaluation.logpMargin();
        }
    }

    /** The judge's win rate of the run's greedy replies over the starting model's. */
    record WinRateOverStart() implements RankBy {
        @Override
        public String key() {
            return "winRate";
        }

        @Override
        public String label() {
            return "win rate over the starting model";
        }

        @Override
        public double score(ModelEvaluation evaluation, WinRate vsStart) {
            return vsStart == null ? Double.NaN : vsStart.rate();
        }
    }

    /** The share of greedy replies that pass a rule. */
    record RulePassRate(String rule) implements RankBy {
        @Override
        public String key() {
            return "rule:" + rule;
        }

        @Override
        public String label() {
            return "share of replies passing " + rule;
        }

        @Override
        public double score(ModelEvaluation evaluation, WinRate vsStart) {
            return evaluation == null ? Double.NaN : evaluation.rulePassRates().getOrDefault(rule, Double.NaN);
        }
    }
}
