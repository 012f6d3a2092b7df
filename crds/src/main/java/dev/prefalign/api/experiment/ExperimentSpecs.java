package dev.prefalign.api.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.api.manifest.FieldPaths;
import dev.prefalign.api.manifest.ManifestProblem;
import dev.prefalign.api.v1alpha1.spec.KubernetesNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the parts of an experiment's spec that decide its runs (name, base, grid, variations) from a tree, whether it
 * came from an experiment file or from a PreferenceAlignmentExperiment resource. Every problem is collected, with the
 * field it concerns, so that all are reported at once.
 */
public final class ExperimentSpecs {
    /** Runs are named {@code <experiment>-<index>-<description>} and must stay valid label values (63). */
    public static final int MAX_NAME_LENGTH = 50;
    private static final Pattern AXIS_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*");

    private ExperimentSpecs() {
    }

    /** What is wrong with an experiment's name, if anything. */
    public static Optional<String> nameProblem(String n) {
        if (n.isEmpty() || !n.matches(KubernetesNames.DNS_SUBDOMAIN_OR_EMPTY)) {
            return Optional.of("metadata.name \"" + n + "\" is not valid: use lower-case letters, digits, '-' and "
                    + "'.', starting and ending with a letter or digit");
        }
        if (n.length() > MAX_NAME_LENGTH) {
            return Optional.of("metadata.name is " + n.length() + " characters long; at most " + MAX_NAME_LENGTH
                    + " leave room for the run names (<name>-<index>-<description>)");
        }
        return Optional.empty();
    }

    /** {@code spec.base}, or null after a problem. */
    public static ObjectNode base(JsonNode base, YamlLocations at, List<ManifestProblem> problems) {
        if (base.isObject()) {
            return (ObjectNode) base;
        }
        problems.add(at.problem("spec.base", "spec.base is required: the PreferenceAlignmentJob spec every run starts "
                + "from (method, model, dataset, training, ...)"));
        return null;
    }

    /** {@code spec.grid}: axes in the order written; every problem goes to {@code problems}. */
    public static List<GridAxis> grid(JsonNode grid, YamlLocations at, List<ManifestProblem> problems) {
        if (grid.isMissingNode() || grid.isNull()) {
            return List.of();
        }
        if (!grid.isObject()) {
            problems.add(at.problem("spec.grid", "spec.grid must be a mapping from a spec field to its values, e.g. "
                    + "dpo.beta: [0.1, 0.5]"));
            return List.of();
        }
        List<GridAxis> axes = new ArrayList<>();
        grid.fields().forEachRemaining(entry -> {
            String path = entry.getKey();
            String where = FieldPaths.child("spec.grid", path);
            if (path.startsWith("spec.")) {
                problems.add(at.problem(where, where + ": write grid fields relative to spec, as "
                        + path.substring("spec.".length())));
                return;
            }
            if (!AXIS_PATH.matcher(path).matches()) {
                problems.add(at.problem(where, where + ": \"" + path + "\" is not a field path; write the spec "
                        + "field's names joined by '.', e.g. dpo.beta or training.learningRate"));
                return;
            }
            JsonNode values = entry.getValue();
            if (!values.isArray() || values.isEmpty()) {
                problems.add(at.problem(where, where + " must be a non-empty list of values, e.g. [0.1, 0.5]"));
                return;
            }
            List<JsonNode> list = new ArrayList<>();
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                if (!seen.add(v)) {
                    problems.add(at.problem(FieldPaths.element(where, i), where + " lists " + v + " twice; each "
                            + "value gives runs of its own, so list it once"));
                }
                list.add(v);
            }
            axes.add(new GridAxis(path, list));
        });
        for (GridAxis a : axes) {
            for (GridAxis b : axes) {
                if (b.path().startsWith(a.path() + ".")) {
                    problems.add(at.problem(b.origin(), b.origin() + " lies inside " + a.origin() + "; vary a "
                            + "section or its fields, not both"));
                }
            }
        }
        return axes;
    }

    /** {@code spec.variations}: each a non-empty partial spec. */
    public static List<ObjectNode> variations(JsonNode node, YamlLocations at, List<ManifestProblem> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(at.problem("spec.variations", "spec.variations must be a list of partial job specs, e.g. "
                    + "- {method: ORPO, orpo: {lambda: 0.5}}"));
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            String where = FieldPaths.element("spec.variations", i);
            if (!v.isObject() || v.isEmpty()) {
                problems.add(at.problem(where, where + " must be a non-empty mapping of job spec fields (a partial "
                        + "spec laid over spec.base)"));
            } else {
                out.add((ObjectNode) v);
            }
        }
        return out;
    }
}
