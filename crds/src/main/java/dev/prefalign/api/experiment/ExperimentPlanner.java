package dev.prefalign.api.experiment;

import dev.prefalign.api.manifest.FieldPaths;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.manifest.ManifestProblem;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands an experiment into its runs and validates each as a PreferenceAlignmentJob (types, enum values, bounds and
 * {@code SpecValidator}'s rules, through {@link JobManifests#parse}) before anything runs. Problems are mapped back to
 * where they are written in the experiment file and named by run; a problem every run shares is reported once.
 *
 * <p>Runs, in order: the grid's cartesian product (by method first, in the order written, then the other axes, the
 * last written varying fastest), then one run per variation. Axes of the {@code dpo} section and
 * {@code referenceModel} vary DPO runs only, {@code orpo} ORPO runs only; sections of the base that a run's method does
 * not use are left out of that run. An experiment with neither grid nor variations has one run: the base.
 */
public final class ExperimentPlanner {
    private static final String SCORING = "the scoring job";
    // JSON is YAML: the job tree goes to JobManifests.parse as text, the way a manifest file would.
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExperimentPlanner() {
    }

    /**
     * @param manifestDir the experiment file's folder: relative local sources are made absolute against it, so each
     *                    run's recorded job.yaml reruns from anywhere; null keeps sources as written
     */
    public static RunPlan plan(ExperimentDesign experiment, Path manifestDir) throws ManifestException {
        ObjectNode base = experiment.base().deepCopy();
        if (manifestDir != null) {
            absolutizeSources(base, manifestDir);
        }
        List<ManifestProblem> problems = new ArrayList<>();
        List<List<Setting>> runSettings = expand(experiment, problems);
        Problems found = new Problems(experiment, runSettings.size());
        List<PlannedRun> runs = new ArrayList<>();
        for (int i = 0; i < runSettings.size(); i++) {
            List<Setting> settings = runSettings.get(i);
            String method = methodOf(base, settings);
            String description = RunNames.describe(method, settings);
            String name = RunNames.name(experiment.name(), i + 1, runSettings.size(), description);
            ObjectNode spec = specFor(base, method);
            for (Setting s : settings) {
                String error = set(spec, s.path(), s.value());
                if (error != null) {
                    found.add(s.origin(), s.origin() + ": " + error, name);
                }
            }
            PreferenceAlignmentJob job = parse(experiment, name, name, spec, settings, found);
            if (job != null) {
                runs.add(new PlannedRun(i + 1, name, description, settings, job, JobManifests.toYaml(job)));
            }
        }
        ObjectNode scoringSpec = specFor(base, Method.ORPO.name());
        scoringSpec.put("method", Method.ORPO.name());
        PreferenceAlignmentJob scoring = parse(experiment, experiment.name() + "-scoring", SCORING, scoringSpec,
                List.of(), found);
        problems.addAll(found.problems());
        if (!problems.isEmpty()) {
            throw new ManifestException(experiment.origin(), problems);
        }
        return new RunPlan(runs, scoring);
    }

    /** Every run's settings; problems of the grid as a whole (an axis no run uses) go to {@code problems}. */
    private static List<List<Setting>> expand(ExperimentDesign experiment, List<ManifestProblem> problems) {
        GridAxis methodAxis = null;
        List<GridAxis> others = new ArrayList<>();
        for (GridAxis axis : experiment.grid()) {
            if (axis.path().equals(GridAxis.METHOD)) {
                methodAxis = axis;
            } else {
                others.add(axis);
            }
        }
        // The methods the grid's runs use: the method axis, else the base's method.
        List<Setting> methods = new ArrayList<>();
        if (methodAxis != null) {
            for (int i = 0; i < methodAxis.values().size(); i++) {
                methods.add(new Setting(GridAxis.METHOD, methodAxis.values().get(i), methodAxis.origin(i)));
            }
        } else {
            methods.add(null);
        }
        Method baseMethod = method(experiment.base().path("method").asText(null));
        List<List<Setting>> out = new ArrayList<>();
        if (!experiment.grid().isEmpty() || experiment.variations().isEmpty()) {
            Set<GridAxis> used = new LinkedHashSet<>();
            for (Setting m : methods) {
                Method method = m == null ? baseMethod : method(m.value().asText(null));
                List<GridAxis> axes = others.stream().filter(a -> a.scope().appliesTo(method)).toList();
                used.addAll(axes);
                for (List<Setting> combination : product(axes)) {
                    List<Setting> settings = new ArrayList<>();
                    if (m != null) {
                        settings.add(m);
                    }
                    settings.addAll(combination);
                    out.add(settings);
                }
            }
            for (GridAxis axis : others) {
                if (!used.contains(axis)) {
                    problems.add(experiment.locations().problem(axis.origin(), axis.origin() + " varies "
                            + axis.scope().method() + " runs only, but no run of the grid uses " + axis.scope().method()
                            + (methodAxis != null ? " (spec.grid.method lists " + methodAxis.values().stream()
                                    .map(JsonNode::asText).toList() + ")"
                                    : " (spec.base.method is " + baseMethod + ")")
                            + "; add " + axis.scope().method() + " to spec.grid.method or remove the axis"));
                }
            }
        }
        for (int i = 0; i < experiment.variations().size(); i++) {
            List<Setting> settings = new ArrayList<>();
            flatten(experiment.variations().get(i), "", FieldPaths.element("spec.variations", i), settings);
            out.add(settings);
        }
        return out;
    }

    /** The cartesian product of the axes' values, the last axis varying fastest. */
    private static List<List<Setting>> product(List<GridAxis> axes) {
        List<List<Setting>> out = new ArrayList<>();
        out.add(List.of());
        for (GridAxis axis : axes) {
            List<List<Setting>> next = new ArrayList<>();
            for (List<Setting> prefix : out) {
                for (int i = 0; i < axis.values().size(); i++) {
                    List<Setting> combination = new ArrayList<>(prefix);
                    combination.add(new Setting(axis.path(), axis.values().get(i), axis.origin(i)));
                    next.add(combination);
                }
            }
            out = next;
        }
        return out;
    }

    /** A variation's leaves as settings: mappings are walked into, anything else (lists included) is one value. */
    private static void flatten(JsonNode node, String path, String origin, List<Setting> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            String o = FieldPaths.child(origin, e.getKey());
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                flatten(e.getValue(), p, o, out);
            } else {
                out.add(new Setting(p, e.getValue(), o));
            }
        }
    }

    private static String methodOf(ObjectNode base, List<Setting> settings) {
        for (Setting s : settings) {
            if (s.path().equals(GridAxis.METHOD)) {
                return s.value().isTextual() ? s.value().asText() : s.value().toString();
            }
        }
        return base.path("method").isTextual() ? base.path("method").asText() : null;
    }

    private static Method method(String text) {
        for (Method m : Method.values()) {
            if (m.name().equals(text)) {
                return m;
            }
        }
        return null;
    }

    /** The base spec for a run of this method: the sections the method does not use are left out. */
    private static ObjectNode specFor(ObjectNode base, String methodText) {
        ObjectNode spec = base.deepCopy();
        Method method = method(methodText);
        if (method != null && method != Method.DPO) {
            spec.remove("dpo");
            spec.remove("referenceModel");
        }
        if (method != null && method != Method.ORPO) {
            spec.remove("orpo");
        }
        return spec;
    }

    /** Sets a field, creating the sections on its way; returns why it cannot, or null. */
    private static String set(ObjectNode spec, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode node = spec;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = node.get(names[i]);
            if (child == null || child.isNull()) {
                node = node.putObject(names[i]);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                return "spec." + String.join(".", Arrays.copyOf(names, i + 1)) + " is a value, not a "
                        + "section, so spec." + path + " cannot be set";
            }
        }
        node.set(names[names.length - 1], value.deepCopy());
        return null;
    }

    /** The job, or null after adding its problems to {@code found} under {@code label}. */
    private static PreferenceAlignmentJob parse(ExperimentDesign experiment, String name, String label, ObjectNode spec,
            List<Setting> settings, Problems found) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", PreferenceAlignmentJob.API_VERSION);
        root.put("kind", PreferenceAlignmentJob.KIND);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("labels").put(ExperimentDesign.LABEL, experiment.name());
        root.set("spec", spec);
        try {
            return JobManifests.parse(JSON.writeValueAsString(root), name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job tree always serialises", e);
        } catch (ManifestException e) {
            for (ManifestProblem p : e.problems()) {
                found.add(originOf(p.path(), settings), p.message(), label);
            }
            return null;
        }
    }

    /** Where a field of a run's job is written in the experiment file: by the run's settings, else in the base. */
    private static String originOf(String jobPath, List<Setting> settings) {
        if (!jobPath.startsWith("spec")) {
            return "metadata.name";
        }
        String rest = jobPath.equals("spec") ? "" : jobPath.substring("spec.".length());
        for (Setting s : settings) {
            if (rest.equals(s.path()) || rest.startsWith(s.path() + ".") || rest.startsWith(s.path() + "[")) {
                // inside a variation the deeper field is written too; a grid value is one entry
                return s.origin().startsWith("spec.variations") ? s.origin() + rest.substring(s.path().length())
                        : s.origin();
            }
        }
        for (Setting s : settings) {
            if (s.origin().startsWith("spec.variations") && s.path().startsWith(rest + ".")) {
                // a section set by the variation (spec.dpo for a method that does not use it)
                String variation = s.origin().substring(0, s.origin().indexOf(']') + 1);
                return variation + "." + rest;
            }
        }
        return rest.isEmpty() ? "spec.base" : "spec.base." + rest;
    }

    private static void absolutizeSources(ObjectNode base, Path manifestDir) {
        for (String section : List.of("model", "referenceModel", "dataset")) {
            JsonNode node = base.path(section);
            JsonNode source = node.path("source");
            if (node.isObject() && source.isTextual() && !source.asText().contains("://")
                    && !source.asText().isBlank()) {
                Path p = Path.of(source.asText());
                if (!p.isAbsolute()) {
                    ((ObjectNode) node).set("source",
                            TextNode.valueOf(manifestDir.toAbsolutePath().resolve(p).normalize().toString()));
                }
            }
        }
    }

    /**
     * Problems gathered over all runs: one entry per place and message, naming the runs it concerns. A grid problem
     * that every value of an axis has alike (an unknown field) concerns the axis, and is reported once, there.
     */
    private static final class Problems {
        private final ExperimentDesign experiment;
        private final int runCount;
        private final Map<List<String>, Set<String>> byPlaceAndMessage = new LinkedHashMap<>();

        Problems(ExperimentDesign experiment, int runCount) {
            this.experiment = experiment;
            this.runCount = runCount;
        }

        void add(String origin, String message, String run) {
            byPlaceAndMessage.computeIfAbsent(List.of(origin, message), k -> new LinkedHashSet<>()).add(run);
        }

        List<ManifestProblem> problems() {
            Map<List<String>, Set<String>> merged = new LinkedHashMap<>();
            byPlaceAndMessage.forEach((key, runs) -> {
                String place = axisWithEveryValue(key.get(0), key.get(1));
                merged.computeIfAbsent(List.of(place, key.get(1)), k -> new LinkedHashSet<>()).addAll(runs);
            });
            List<ManifestProblem> out = new ArrayList<>();
            merged.forEach((key, runs) -> out.add(experiment.locations().problem(key.get(0),
                    key.get(1) + " (" + which(runs) + ")")));
            return out;
        }

        /** The axis's own place when the origin is one of its values and all its values have this message. */
        private String axisWithEveryValue(String origin, String message) {
            for (GridAxis axis : experiment.grid()) {
                if (origin.startsWith(axis.origin() + "[")) {
                    for (int i = 0; i < axis.values().size(); i++) {
                        if (!byPlaceAndMessage.containsKey(List.of(axis.origin(i), message))) {
                            return origin;
                        }
                    }
                    return axis.origin();
                }
            }
            return origin;
        }

        private String which(Set<String> runs) {
            List<String> named = new ArrayList<>(runs);
            named.remove(SCORING);
            if (named.isEmpty()) {
                return SCORING + ", from spec.base";
            }
            if (runCount > 1 && named.size() == runCount) {
                return "all " + runCount + " runs";
            }
            return (named.size() == 1 ? "run " : "runs ") + String.join(", ", named);
        }
    }
}
