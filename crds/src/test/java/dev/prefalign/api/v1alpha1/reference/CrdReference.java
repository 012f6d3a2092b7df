package dev.prefalign.api.v1alpha1.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders docs/crd-reference.md from the committed CRDs. The CRD YAML is generated from the Java types (their
 * descriptions, defaults, bounds, enums and CEL rules), so rendering it rather than the classes keeps the reference
 * exactly what the API server enforces. Run {@code main} (or {@code CrdReferenceTest} with
 * {@code -Dprefalign.updateReference=true}) from the repository root to rewrite the file.
 */
public final class CrdReference {

    /** The CRDs in the order the reference shows them, relative to the repository root. */
    public static final List<Path> CRDS = List.of(
            Path.of("crds", "src", "main", "kubernetes", "preferencealignmentjobs.prefalign.dev-v1.yml"),
            Path.of("crds", "src", "main", "kubernetes", "preferencealignmentexperiments.prefalign.dev-v1.yml"));
    public static final Path OUTPUT = Path.of("docs", "crd-reference.md");
    public static final String REGENERATE = "mvn -o -q -pl crds test -Dtest=CrdReferenceTest "
            + "-Dprefalign.updateReference=true";

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrdReference() {
    }

    /** Rewrites {@code docs/crd-reference.md} under the repository root given as the only argument (default "."). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(root.resolve(OUTPUT), render(root));
    }

    /** The reference for the CRDs under {@code repositoryRoot}. */
    public static String render(Path repositoryRoot) {
        List<JsonNode> crds = new ArrayList<>();
        for (Path crd : CRDS) {
            Path file = repositoryRoot.resolve(crd);
            try {
                crds.add(YAML.readTree(Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CRD " + file + ": " + e.getMessage(), e);
            }
        }
        return render(crds);
    }

    /** The reference for these parsed CRDs (apiextensions.k8s.io/v1 documents), in this order. */
    public static String render(List<JsonNode> crds) {
        StringBuilder md = new StringBuilder();
        md.append("# CRD reference\n\n");
        md.append("<!-- Generated from the committed CRDs by dev.prefalign.api.v1alpha1.reference.CrdReference; "
                + "do not edit. Regenerate with: ").append(REGENERATE).append(" -->\n\n");
        md.append("This page is generated from the CRDs in `crds/src/main/kubernetes/`, which the build generates "
                + "from the Java types in `dev.prefalign.api.v1alpha1`. Do not edit it: change the types, refresh the "
                + "CRDs, then run `").append(REGENERATE).append("`. `CrdReferenceTest` fails when this page is stale. "
                + "The manifest contract, with examples and the meaning of each setting, is in "
                + "[api-v1alpha1.md](api-v1alpha1.md).\n\n");
        for (JsonNode crd : crds) {
            md.append("- [").append(crd.at("/spec/names/kind").asText()).append("](#")
                    .append(anchor(crd.at("/spec/names/kind").asText())).append(")\n");
        }
        md.append('\n');
        for (JsonNode crd : crds) {
            renderCrd(crd, md);
        }
        return md.toString().replaceAll("\n{3,}", "\n\n");
    }

    private static void renderCrd(JsonNode crd, StringBuilder md) {
        JsonNode names = crd.at("/spec/names");
        String kind = names.path("kind").asText();
        md.append("## ").append(kind).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Group", code(crd.at("/spec/group").asText()));
        row(md, "Scope", crd.at("/spec/scope").asText());
        row(md, "Plural", code(names.path("plural").asText()));
        row(md, "Singular", code(names.path("singular").asText()));
        row(md, "Short names", codes(names.path("shortNames")));
        row(md, "Categories", codes(names.path("categories")));
        for (JsonNode version : crd.at("/spec/versions")) {
            renderVersion(kind, version, md);
        }
    }

    private static void renderVersion(String kind, JsonNode version, StringBuilder md) {
        List<String> subresources = new ArrayList<>();
        version.path("subresources").fieldNames().forEachRemaining(subresources::add);
        row(md, "Version", code(version.path("name").asText()) + (version.path("storage").asBoolean()
                ? " (served, storage)" : version.path("served").asBoolean() ? " (served)" : ""));
        row(md, "Subresources", subresources.isEmpty() ? "none" : String.join(", ", subresources.stream()
                .map(CrdReference::code).toList()));
        md.append('\n');

        JsonNode columns = version.path("additionalPrinterColumns");
        if (columns.size() > 0) {
            md.append("### ").append(kind).append(" printer columns\n\n");
            md.append("`kubectl get` shows these columns (priority 0 always, higher ones with `-o wide`).\n\n");
            md.append("| column | type | JSON path | priority | description |\n|---|---|---|---|---|\n");
            for (JsonNode c : columns) {
                md.append("| ").append(c.path("name").asText()).append(" | ").append(c.path("type").asText())
                        .append(" | ").append(code(c.path("jsonPath").asText())).append(" | ")
                        .append(c.path("priority").asInt()).append(" | ")
                        .append(cell(prose(c.path("description").asText()))).append(" |\n");
            }
            md.append('\n');
        }

        JsonNode root = version.at("/schema/openAPIV3Schema");
        if (root.has("x-kubernetes-validations")) {
            md.append("### ").append(kind).append(" validation rules on the whole resource\n\n");
            rules(root, "", md);
        }
        root.path("properties").fields().forEachRemaining(e -> {
            if (e.getValue().has("properties")) {
                section(kind, e.getKey(), e.getValue(), md);
            }
        });
    }

    /** One object: its table, its CEL rules, then the sections of the objects below it. */
    private static void section(String kind, String path, JsonNode schema, StringBuilder md) {
        md.append("### ").append(kind).append(' ').append(path).append("\n\n");
        if (schema.hasNonNull("description")) {
            md.append(prose(schema.path("description").asText())).append("\n\n");
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        md.append("| field | type | default | constraints | description |\n|---|---|---|---|---|\n");
        List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
        List<String> nestedRules = new ArrayList<>();
        schema.path("properties").fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode field = e.getValue();
            String childPath = path + "." + name;
            JsonNode object = objectOf(field);
            String type = type(field);
            if (object != null && ours(object)) {
                String target = field.path("type").asText().equals("array") ? childPath + "[]" : childPath;
                type = "[" + type + "](#" + anchor(kind + " " + target) + ")";
                children.add(Map.entry(target, object));
            }
            md.append("| ").append(code(name)).append(" | ").append(type).append(" | ").append(defaultOf(field))
                    .append(" | ").append(constraints(field, required.contains(name))).append(" | ")
                    .append(cell(prose(description(field, object)))).append(" |\n");
            if (field.has("x-kubernetes-validations") && !field.has("properties")) {
                nestedRules.add(name);
            }
        });
        md.append('\n');
        if (schema.has("x-kubernetes-validations")) {
            rules(schema, path, md);
        }
        for (String name : nestedRules) {
            rules(schema.path("properties").path(name), path + "." + name, md);
        }
        for (Map.Entry<String, JsonNode> child : children) {
            section(kind, child.getKey(), child.getValue(), md);
        }
    }

    /** The CEL rules attached to {@code schema}, each with the message the API server returns. */
    private static void rules(JsonNode schema, String path, StringBuilder md) {
        String at = path.isEmpty() ? "the resource" : "`" + path + "`";
        md.append("CEL rules checked by the API server on ").append(at).append(":\n\n");
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String field = rule.path("fieldPath").asText("");
            md.append("- ");
            if (!field.isEmpty()) {
                md.append("reported at `").append(path.isEmpty() ? field.substring(1) : path + field).append("`: ");
            }
            md.append(rule.has("message") ? prose(rule.path("message").asText()) : "(no message)");
            if (rule.has("reason")) {
                md.append(" (reason ").append(code(rule.path("reason").asText())).append(')');
            }
            md.append("\n\n  ```\n  ").append(rule.path("rule").asText()).append("\n  ```\n\n");
        }
    }

    /** The object schema a field leads to (itself, or its array items), or null for a scalar or a map. */
    private static JsonNode objectOf(JsonNode field) {
        if (field.has("properties")) {
            return field;
        }
        JsonNode items = field.path("items");
        return items.has("properties") ? items : null;
    }

    /**
     * Our types describe every field; Kubernetes' own (Pod affinity, tolerations, metav1.Condition) carry no
     * descriptions here and are documented by Kubernetes, so they are not expanded.
     */
    private static boolean ours(JsonNode object) {
        Iterator<JsonNode> properties = object.path("properties").elements();
        while (properties.hasNext()) {
            if (!properties.next().hasNonNull("description")) {
                return false;
            }
        }
        return true;
    }

    private static String description(JsonNode field, JsonNode object) {
        String text = field.path("description").asText("");
        if (object != null && !ours(object)) {
            List<String> names = new ArrayList<>();
            object.path("properties").fieldNames().forEachRemaining(names::add);
            text += (text.isEmpty() ? "" : " ") + "Kubernetes' own schema, not expanded here (fields: "
                    + String.join(", ", names) + ").";
        }
        return text;
    }

    private static String type(JsonNode field) {
        if (field.path("x-kubernetes-int-or-string").asBoolean()) {
            return "integer or string";
        }
        String type = field.path("type").asText("");
        if (type.equals("array")) {
            return "[]" + type(field.path("items"));
        }
        if (type.equals("object") && field.has("additionalProperties")) {
            return "map[string]" + type(field.path("additionalProperties"));
        }
        if (type.isEmpty() || field.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                && !field.has("properties")) {
            return type.isEmpty() ? "any (free-form)" : type + " (free-form)";
        }
        return field.has("format") ? type + " (" + field.path("format").asText() + ")" : type;
    }

    private static String defaultOf(JsonNode field) {
        if (!field.has("default")) {
            return "";
        }
        JsonNode value = field.get("default");
        if (value.isTextual() && !value.asText().isEmpty()) {
            return code(value.asText());
        }
        try {
            return code(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String constraints(JsonNode field, boolean required) {
        List<String> out = new ArrayList<>();
        if (required) {
            out.add("**required**");
        }
        if (field.has("enum")) {
            List<String> values = new ArrayList<>();
            field.path("enum").forEach(v -> values.add(code(v.asText())));
            out.add("one of " + String.join(", ", values));
        }
        if (field.has("minimum")) {
            out.add((field.path("exclusiveMinimum").asBoolean() ? "> " : "≥ ") + number(field.path("minimum")));
        }
        if (field.has("maximum")) {
            out.add((field.path("exclusiveMaximum").asBoolean() ? "< " : "≤ ") + number(field.path("maximum")));
        }
        bound(field, "minLength", "length ≥ ", out);
        bound(field, "maxLength", "length ≤ ", out);
        bound(field, "minItems", "items ≥ ", out);
        bound(field, "maxItems", "items ≤ ", out);
        bound(field, "minProperties", "entries ≥ ", out);
        bound(field, "maxProperties", "entries ≤ ", out);
        if (field.has("pattern")) {
            out.add("pattern " + code(field.path("pattern").asText()));
        }
        if (field.path("nullable").asBoolean()) {
            out.add("nullable");
        }
        return cell(String.join("; ", out));
    }

    private static void bound(JsonNode field, String key, String label, List<String> out) {
        if (field.has(key)) {
            out.add(label + number(field.path(key)));
        }
    }

    /** 1.0 as 1, 0.5 as 0.5: the generator writes every bound as a double. */
    private static String number(JsonNode n) {
        return n.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String codes(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(code(v.asText())));
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    private static String code(String text) {
        return text.contains("`") ? "``" + text + "``" : "`" + text + "`";
    }

    /** A table cell: one line, and a literal | escaped so that it does not end the cell. */
    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|").strip();
    }

    /** Text from the schema, where a literal {@code <name>} must not be taken for an HTML tag. */
    private static String prose(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
