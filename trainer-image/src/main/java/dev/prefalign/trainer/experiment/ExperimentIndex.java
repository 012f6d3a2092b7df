package dev.prefalign.trainer.experiment;

import dev.prefalign.trainer.evaluation.EvaluationSettings;
import java.util.List;
import java.util.Map;

/**
 * The experiment as {@code compare} planned it, kept as {@code experiment.json} at the top of its work dir; with each
 * run's files it is all that {@code report} needs.
 *
 * @param file           the experiment file, absolute
 * @param scoringJobYaml the job every model is scored with (see ModelEvaluator)
 */
public record ExperimentIndex(String name, String file, String codeVersion, String createdAt,
        EvaluationSettings evaluation, List<Entry> runs, String scoringJobYaml) {

    /** One planned run. */
    public record Entry(int index, String name, String description, Map<String, String> settings, String method) {
    }

    public ExperimentIndex {
        runs = List.copyOf(runs);
    }
}
