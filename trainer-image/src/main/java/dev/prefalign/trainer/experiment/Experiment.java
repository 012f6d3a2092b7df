package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.ExperimentDesign;
import dev.prefalign.api.experiment.GridAxis;
import dev.prefalign.api.experiment.YamlLocations;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.evaluation.EvaluationSettings;
import java.util.List;

/**
 * A PreferenceAlignmentExperiment as read from its file, before expansion into runs.
 *
 * @param origin        the file, for messages
 * @param text          the file's text, kept for the report
 * @param base          {@code spec.base}: a PreferenceAlignmentJob spec every run starts from
 * @param grid          {@code spec.grid}: axes crossed into runs, in the order written
 * @param variations    {@code spec.variations}: partial specs, each one more run
 * @param maxConcurrent runs at once in a cluster; the local {@code compare} runs one at a time
 * @param locations     where each field is written, to give problems found later a line
 */
public record Experiment(String name, String origin, String text, ObjectNode base, List<GridAxis> grid,
        List<ObjectNode> variations, int maxConcurrent, EvaluationSettings evaluation, YamlLocations locations) {
    public static final String API_VERSION = ExperimentDesign.API_VERSION;
    public static final String KIND = ExperimentDesign.KIND;
    /** Label every run's job carries, so that runs can be listed by experiment. */
    public static final String LABEL = ExperimentDesign.LABEL;

    public Experiment {
        grid = List.copyOf(grid);
        variations = List.copyOf(variations);
    }

    /** What the planner expands into runs. */
    public ExperimentDesign design() {
        return new ExperimentDesign(name, origin, base, grid, variations, locations);
    }
}
