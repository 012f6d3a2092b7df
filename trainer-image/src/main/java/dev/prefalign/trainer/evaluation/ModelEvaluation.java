package dev.prefalign.trainer.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Method-independent measures of one model (kept as {@code evaluation.json}): held-out preference accuracy and logp
 * margin from the policy's own log-probabilities (summed over completion tokens), the pass rate of each rule over its
 * greedy replies, and the replies themselves (for win rates and for a look).
 *
 * @param model              the model folder scored
 * @param data               which pairs were scored, in words
 * @param pairs              how many
 * @param preferenceAccuracy share of pairs with log p(chosen) > log p(rejected); ties are not wins
 * @param logpMargin         mean of log p(chosen) - log p(rejected)
 * @param rulePassRates      rule name -> share of greedy replies that pass
 * @param generations        greedy replies, one per evaluation prompt, in prompt order
 * @param key                what the scores depend on (settings and scoring job), to reuse them when unchanged
 * @param error              why the model could not be evaluated (the scores are then NaN); null when it was
 */
public record ModelEvaluation(String model, String data, int pairs, double preferenceAccuracy, double logpMargin,
        Map<String, Double> rulePassRates, List<Generation> generations, String key, String error) {
    public ModelEvaluation {
        // rule order is the experiment's, and the report's column order
        rulePassRates = rulePassRates == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(rulePassRates));
        generations = generations == null ? List.of() : List.copyOf(generations);
    }

    public static ModelEvaluation failed(String model, String error, String key) {
        return new ModelEvaluation(model, null, 0, Double.NaN, Double.NaN, Map.of(), List.of(), key, error);
    }

    public boolean ok() {
        return error == null;
    }
}
