package dev.prefalign.api.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.KubernetesNames;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import dev.prefalign.api.v1alpha1.validation.SpecViolation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads PreferenceAlignmentJob manifests as the trainer's command line does, with the checks the API server and the
 * operator make in a cluster: apiVersion and kind, unknown fields, types and enum values, required fields, bounds
 * and the cross-field rules of {@link SpecValidator}. Every problem is reported at once, each with file, line and
 * field path.
 */
public final class JobManifests {

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // "key:" with nothing after it is null, as for kubectl, not an empty string
                    .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                    .build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private JobManifests() {
    }

    /** Reads a manifest file; a multi-document file must hold exactly one PreferenceAlignmentJob. */
    public static PreferenceAlignmentJob read(Path yamlFile) throws ManifestException {
        String text;
        try {
            text = Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(yamlFile.toString(), new ManifestProblem("", 0, 0,
                    "cannot read the manifest: " + e), e);
        }
        return parse(text, yamlFile.toString());
    }

    /**
     * Parses manifest text.
     *
     * @param origin names the text in messages, usually its file
     * @return the job, its spec complete: every section present, every left-out field at its default
     */
    public static PreferenceAlignmentJob parse(String yaml, String origin) throws ManifestException {
        YamlDocuments.Document document = select(YamlDocuments.read(YAML, yaml, origin), origin);
        List<ManifestProblem> problems = new ArrayList<>();
        checkHeader(document, problems);
        if (!problems.isEmpty()) {
            throw new ManifestException(origin, problems); // another kind's fields would only add noise
        }
        ObjectNode root = (ObjectNode) document.root();
        TreeChecker checker = new TreeChecker(YAML);
        checker.checkObject(root, YAML.constructType(PreferenceAlignmentJob.class), "");
        checker.findings().forEach(f -> problems.add(document.problem(f.path(), f.message())));
        if (!root.path("metadata").hasNonNull("name")) {
            problems.add(document.problem("metadata.name", "metadata.name is required"));
        }
        if (!root.hasNonNull("spec")) {
            problems.add(document.problem("spec", "spec is required"));
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(origin, problems);
        }
        PreferenceAlignmentJob job = bind(document, origin);
        checkName(job.getMetadata(), document, problems);
        for (SpecViolation violation : SpecValidator.validate(job.getSpec())) {
            problems.add(document.problem(violation.path(), violation.message()));
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(origin, problems);
        }
        return job;
    }

    /**
     * The job as a manifest with its spec resolved: every default written out, the sections that its method does
     * not use left out, and only the identifying metadata (name, namespace, labels). Reading it back gives the same
     * job; it is what checkpoints and the operator's ConfigMap record.
     */
    public static String toYaml(PreferenceAlignmentJob job) {
        ObjectNode root = YAML.createObjectNode();
        root.put("apiVersion", PreferenceAlignmentJob.API_VERSION);
        root.put("kind", PreferenceAlignmentJob.KIND);
        ObjectNode metadata = root.putObject("metadata");
        ObjectMeta meta = job.getMetadata();
        if (meta != null) {
            metadata.put("name", meta.getName());
            if (meta.getNamespace() != null) {
                metadata.put("namespace", meta.getNamespace());
            }
            if (meta.getLabels() != null && !meta.getLabels().isEmpty()) {
                metadata.set("labels", YAML.valueToTree(meta.getLabels()));
            }
        }
        PreferenceAlignmentJobSpec spec = job.getSpec() != null ? job.getSpec() : new PreferenceAlignmentJobSpec();
        ObjectNode specNode = YAML.valueToTree(spec);
        if (spec.getMethod() != Method.DPO) {
            specNode.remove("dpo");
        }
        if (spec.getMethod() != Method.ORPO) {
            specNode.remove("orpo");
        }
        root.set("spec", specNode);
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job tree always serialises", e);
        }
    }

    private static YamlDocuments.Document select(List<YamlDocuments.Document> all, String origin)
            throws ManifestException {
        List<YamlDocuments.Document> documents = all.stream()
                .filter(d -> !d.root().isNull() && !d.root().isMissingNode())
                .toList();
        if (documents.isEmpty()) {
            throw new ManifestException(origin, new ManifestProblem("", 0, 0,
                    "the file holds no YAML document; expected a PreferenceAlignmentJob manifest"));
        }
        if (documents.size() == 1) {
            return documents.get(0);
        }
        List<YamlDocuments.Document> jobs = documents.stream()
                .filter(d -> PreferenceAlignmentJob.KIND.equals(d.root().path("kind").asText(null)))
                .toList();
        if (jobs.size() == 1) {
            return jobs.get(0);
        }
        if (jobs.isEmpty()) {
            String kinds = documents.stream().map(d -> d.root().path("kind").asText("(no kind)"))
                    .collect(Collectors.joining(", "));
            throw new ManifestException(origin, new ManifestProblem("", 0, 0, "none of the " + documents.size()
                    + " documents is a PreferenceAlignmentJob (kinds: " + kinds + ")"));
        }
        String lines = jobs.stream().map(d -> Integer.toString(d.line())).collect(Collectors.joining(", "));
        throw new ManifestException(origin, new ManifestProblem("", jobs.get(1).line(), 1, jobs.size()
                + " PreferenceAlignmentJob documents (at lines " + lines + "); the trainer runs one job per file"));
    }

    private static void checkHeader(YamlDocuments.Document document, List<ManifestProblem> problems) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            problems.add(document.problem("", "the document must be a mapping with apiVersion, kind, metadata and "
                    + "spec, not a " + (root.isArray() ? "list" : "single value")));
            return;
        }
        JsonNode apiVersion = root.get("apiVersion");
        if (apiVersion == null || apiVersion.isNull()) {
            problems.add(document.problem("apiVersion", "apiVersion is required (apiVersion: "
                    + PreferenceAlignmentJob.API_VERSION + ")"));
        } else if (!PreferenceAlignmentJob.API_VERSION.equals(apiVersion.asText())) {
            problems.add(document.problem("apiVersion", "apiVersion must be " + PreferenceAlignmentJob.API_VERSION
                    + " (got " + apiVersion.asText() + ")"));
        }
        JsonNode kind = root.get("kind");
        if (kind == null || kind.isNull()) {
            problems.add(document.problem("kind", "kind is required (kind: " + PreferenceAlignmentJob.KIND + ")"));
        } else if (!PreferenceAlignmentJob.KIND.equals(kind.asText())) {
            problems.add(document.problem("kind", "kind must be " + PreferenceAlignmentJob.KIND + " (got "
                    + kind.asText() + ")"));
        }
    }

    private static PreferenceAlignmentJob bind(YamlDocuments.Document document, String origin)
            throws ManifestException {
        try {
            return YAML.treeToValue(document.root(), PreferenceAlignmentJob.class);
        } catch (JsonMappingException e) {
            // The tree was checked field by field; this is a backstop for what the check does not model.
            String path = e.getPath().stream()
                    .reduce("", (p, ref) -> ref.getFieldName() != null ? FieldPaths.child(p, ref.getFieldName())
                            : FieldPaths.element(p, ref.getIndex()), (a, b) -> b);
            throw new ManifestException(origin, document.problem(path, (path.isEmpty() ? "" : path + ": ")
                    + e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new ManifestException(origin, document.problem("", e.getOriginalMessage()), e);
        }
    }

    private static void checkName(ObjectMeta metadata, YamlDocuments.Document document,
                                  List<ManifestProblem> problems) {
        String name = metadata.getName();
        if (name.isEmpty() || !name.matches(KubernetesNames.DNS_SUBDOMAIN_OR_EMPTY) || name.length() > 253) {
            problems.add(document.problem("metadata.name", "metadata.name \"" + name + "\" is not valid: use "
                    + "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"));
        }
    }
}
