package dev.prefalign.trainer.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * {@code spec.evaluation.rewardModel}: the reward model the {@value RewardModelJudge#NAME} judge scores replies with.
 * {@code compare} resolves it before training (downloading an {@code hf://} source into the work dir's cache and
 * checking the folder) and keeps the local folder and its revision in {@code experiment.json}, so that {@code report}
 * judges with the same folder from the files alone.
 *
 * @param source    as written: a local folder (relative to the experiment file), {@code pvc://claim/path} or
 *                  {@code hf://owner/name[@revision]}
 * @param maxLength the longest conversation scored, in reward-model tokens (a longer one keeps its end)
 * @param path      the local folder, absolute; null until resolved
 * @param revision  the folder's revision in words (hf commit, or a sha256 of a local folder); null until resolved
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewardModelSettings(String source, int maxLength, String path, String revision) {
    public static final int DEFAULT_MAX_LENGTH = 1024;
    /** The experiment field of the source, for messages. */
    public static final String FIELD = "spec.evaluation.rewardModel.source";

    public RewardModelSettings {
        Objects.requireNonNull(source, "source");
        maxLength = maxLength <= 0 ? DEFAULT_MAX_LENGTH : maxLength;
    }

    /** As written in the experiment file, not resolved yet. */
    public static RewardModelSettings of(String source, int maxLength) {
        return new RewardModelSettings(source, maxLength, null, null);
    }

    /** The same settings with the local folder and its revision. */
    public RewardModelSettings at(String path, String revision) {
        return new RewardModelSettings(source, maxLength, path, revision);
    }

    public boolean resolved() {
        return path != null;
    }

    /** The source and its revision, for the report. */
    public String describe() {
        return source + (revision == null ? "" : " (" + revision + ")");
    }
}
