package dev.prefalign.api.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.util.List;

/**
 * What an experiment varies, as the planner needs it: the same whether it was read from a file by {@code compare} or
 * from a PreferenceAlignmentExperiment resource by the operator.
 *
 * @param name       {@code metadata.name}: the prefix of every run's name
 * @param origin     the file or resource, for messages
 * @param base       {@code spec.base}: a PreferenceAlignmentJob spec every run starts from
 * @param grid       {@code spec.grid}: axes crossed into runs, in the order written
 * @param variations {@code spec.variations}: partial specs, each one more run
 * @param locations  where each field is written, to give problems a line (none for a resource)
 */
public record ExperimentDesign(String name, String origin, ObjectNode base, List<GridAxis> grid,
        List<ObjectNode> variations, YamlLocations locations) {
    public static final String API_VERSION = PreferenceAlignmentJob.API_VERSION;
    public static final String KIND = PreferenceAlignmentExperiment.KIND;
    /** Label every run's job carries, so that runs can be listed by experiment. */
    public static final String LABEL = PreferenceAlignmentExperiment.LABEL;

    public ExperimentDesign {
        grid = List.copyOf(grid);
        variations = List.copyOf(variations);
    }
}
