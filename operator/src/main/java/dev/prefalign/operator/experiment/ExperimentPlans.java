package dev.prefalign.operator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.api.experiment.ExperimentDesign;
import dev.prefalign.api.experiment.ExperimentPlanner;
import dev.prefalign.api.experiment.ExperimentSpecs;
import dev.prefalign.api.experiment.GridAxis;
import dev.prefalign.api.experiment.RunPlan;
import dev.prefalign.api.experiment.YamlLocations;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.manifest.ManifestProblem;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperimentSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment resource expanded into its runs by the same planner {@code compare} uses, so a grid gives the same
 * runs, names and specs on a laptop and in a cluster. Sources stay as written: in a cluster they are {@code hf://} or
 * {@code pvc://}, which need no resolving against a folder.
 */
public final class ExperimentPlans {

    /** Either the runs, or every problem that keeps the experiment from running (never both). */
    public record Outcome(RunPlan plan, List<String> problems) {
        public boolean valid() {
            return plan != null;
        }
    }

    private ExperimentPlans() {
    }

    public static Outcome of(PreferenceAlignmentExperiment experiment) {
        String name = experiment.getMetadata().getName();
        String origin = PreferenceAlignmentExperiment.KIND + " " + experiment.getMetadata().getNamespace() + "/"
                + name;
        List<ManifestProblem> problems = new ArrayList<>();
        ExperimentSpecs.nameProblem(name).ifPresent(p -> problems.add(new ManifestProblem("metadata.name", 0, 0, p)));
        PreferenceAlignmentExperimentSpec spec = experiment.getSpec();
        if (spec == null) {
            return new Outcome(null, List.of("spec is required: base (a PreferenceAlignmentJob spec) and grid or "
                    + "variations"));
        }
        YamlLocations nowhere = YamlLocations.none();
        ObjectNode base = ExperimentSpecs.base(tree(spec.getBase()), nowhere, problems);
        List<GridAxis> grid = ExperimentSpecs.grid(tree(spec.getGrid()), nowhere, problems);
        List<ObjectNode> variations = ExperimentSpecs.variations(
                Serialization.jsonMapper().valueToTree(spec.getVariations()), nowhere, problems);
        if (!problems.isEmpty()) {
            return new Outcome(null, messages(problems));
        }
        try {
            return new Outcome(ExperimentPlanner.plan(new ExperimentDesign(name, origin, base, grid, variations,
                    nowhere), null), List.of());
        } catch (ManifestException e) {
            return new Outcome(null, messages(e.problems()));
        }
    }

    private static JsonNode tree(JsonNode node) {
        return node == null ? Serialization.jsonMapper().missingNode() : node;
    }

    /** Each problem names its field; those found in a run say which run. */
    private static List<String> messages(List<ManifestProblem> problems) {
        return problems.stream().map(ManifestProblem::message).toList();
    }
}
