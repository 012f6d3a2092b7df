package dev.prefalign.trainer.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an experiment measures beyond the training metrics ({@code spec.evaluation}).
 *
 * @param prompts      greedy replies are generated for the first this many evaluation prompts; 0 = no generation
 * @param maxNewTokens the longest reply, in tokens
 * @param rules        rules whose pass rates the report gives per model
 * @param judge        the judge of win rates; null = no win rates
 * @param rankBy       the ranking's key, as written (see {@link RankBy#parse})
 * @param rewardModel  the reward model of the {@value RewardModelJudge#NAME} judge; null for other judges
 */
public record EvaluationSettings(int prompts, int maxNewTokens, List<String> rules, String judge, String rankBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) RewardModelSettings rewardModel) {
    public static final int DEFAULT_PROMPTS = 16;
    public static final int DEFAULT_MAX_NEW_TOKENS = 32;

    public EvaluationSettings {
        rules = rules == null ? List.of() : List.copyOf(rules);
        rankBy = rankBy == null ? new RankBy.PreferenceAccuracy().key() : rankBy;
    }

    /** Settings without a reward model. */
    public EvaluationSettings(int prompts, int maxNewTokens, List<String> rules, String judge, String rankBy) {
        this(prompts, maxNewTokens, rules, judge, rankBy, null);
    }

    /** The same settings with another reward model (e.g. the one resolved to a local folder). */
    public EvaluationSettings withRewardModel(RewardModelSettings model) {
        return new EvaluationSettings(prompts, maxNewTokens, rules, judge, rankBy, model);
    }

    public static EvaluationSettings defaults() {
        return new EvaluationSettings(DEFAULT_PROMPTS, DEFAULT_MAX_NEW_TOKENS, List.of(), null, null);
    }

    /** Replies are only generated when something reads them. */
    public boolean generates() {
        return prompts > 0 && (!rules.isEmpty() || judge != null);
    }

    public RankBy ranking() {
        return RankBy.parse(rankBy).orElseThrow(() -> new IllegalStateException("unchecked rankBy " + rankBy));
    }
}
