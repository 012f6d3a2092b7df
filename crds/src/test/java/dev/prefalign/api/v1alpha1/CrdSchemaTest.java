package dev.prefalign.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Fabric8's CRD generator over the API types (into a temporary folder; the checked-in CRD is a later build
 * step) to prove they generate, and that the schema says what the Java says: same defaults, a description on every
 * field, the required fields and bounds.
 */
class CrdSchemaTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    /** Fabric8 model types (Pod scheduling, metav1.Condition) bring their own schema; only ours is checked here. */
    private static final Set<String> FOREIGN = Set.of("spec.resources.tolerations", "spec.resources.affinity",
            "status.conditions");

    private static JsonNode version;

    @BeforeAll
    static void generate(@TempDir Path dir) throws IOException {
        new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                .customResourceClasses(PreferenceAlignmentJob.class).generate();
        JsonNode crd = YAML.readTree(Files.readString(dir.resolve("preferencealignmentjobs.prefalign.dev-v1.yml")));
        assertThat(crd.at("/spec/group").asText()).isEqualTo("prefalign.dev");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("paj");
        version = crd.at("/spec/versions/0");
    }

    @Test
    void hasTheStatusSubresourceAndThePrinterColumns() {
        assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
        assertThat(version.at("/subresources/status").isObject()).isTrue();
        List<String> columns = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText() + "="
                + c.path("jsonPath").asText()));
        assertThat(columns).containsExactlyInAnyOrder("Method=.spec.method", "Phase=.status.phase",
                "Progress=.status.progress.percent", "Age=.metadata.creationTimestamp");
    }

    @Test
    void schemaDefaultsAreExactlyTheJavaDefaults() {
        JsonNode javaDefaults = YAML.valueToTree(new PreferenceAlignmentJobSpec());
        List<String> mismatches = new ArrayList<>();
        compareDefaults(schema("spec"), javaDefaults, "spec", mismatches);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyFieldHasADescription() {
        List<String> missing = new ArrayList<>();
        collectUndescribed(schema("spec"), "spec", missing);
        collectUndescribed(schema("status"), "status", missing);
        assertThat(missing).isEmpty();
    }

    @Test
    void requiredFieldsBoundsAndEnumsReachTheSchema() {
        JsonNode spec = schema("spec");
        assertThat(spec.path("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("method", "model", "dataset");
        assertThat(spec.at("/properties/model/required/0").asText()).isEqualTo("source");
        assertThat(spec.at("/properties/dataset/required/0").asText()).isEqualTo("source");
        JsonNode beta = spec.at("/properties/dpo/properties/beta");
        assertThat(beta.path("minimum").asDouble()).isZero();
        assertThat(beta.path("exclusiveMinimum").asBoolean()).isTrue();
        JsonNode smoothing = spec.at("/properties/dpo/properties/labelSmoothing");
        assertThat(smoothing.path("maximum").asDouble()).isEqualTo(0.5);
        assertThat(smoothing.path("exclusiveMaximum").asBoolean()).isTrue();
        assertThat(spec.at("/properties/training/properties/batchSize/minimum").asInt()).isEqualTo(1);
        assertThat(spec.at("/properties/dpo/properties/lossType/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("sigmoid", "ipo", "hinge", "robust");
        assertThat(spec.at("/properties/method/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("DPO", "ORPO", "SFT");
        assertThat(spec.at("/properties/resources/properties/cpu/x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(spec.at("/properties/referenceModel/nullable").asBoolean()).isTrue();
        assertThat(spec.at("/properties/runPolicy/properties/activeDeadlineSeconds/nullable").asBoolean()).isTrue();
        assertThat(schema("status").at("/properties/phase/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Pending", "Queued", "Initializing", "Running", "Suspended", "Succeeded",
                        "Failed");
    }

    private static JsonNode schema(String root) {
        return version.at("/schema/openAPIV3Schema/properties/" + root);
    }

    /** A leaf with a Java default must have the same schema default; one without must have none. */
    private static void compareDefaults(JsonNode schema, JsonNode java, String path, List<String> mismatches) {
        schema.path("properties").fields().forEachRemaining(entry -> {
            String child = path + "." + entry.getKey();
            JsonNode property = entry.getValue();
            JsonNode javaValue = java == null ? null : java.get(entry.getKey());
            if (property.has("properties") && !FOREIGN.contains(child)) {
                assertThat(property.has("default")).as(child + " is a section: no default object").isFalse();
                compareDefaults(property, javaValue, child, mismatches);
                return;
            }
            JsonNode schemaDefault = property.get("default");
            if (!sameValue(schemaDefault, javaValue)) {
                mismatches.add(child + ": schema default " + schemaDefault + ", Java default " + javaValue);
            }
        });
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static void collectUndescribed(JsonNode schema, String path, List<String> missing) {
        schema.path("properties").fields().forEachRemaining(entry -> {
            String child = path + "." + entry.getKey();
            if (entry.getValue().path("description").asText().isBlank()) {
                missing.add(child);
            }
            if (!FOREIGN.contains(child)) {
                collectUndescribed(entry.getValue(), child, missing);
                collectUndescribed(entry.getValue().path("items"), child + "[]", missing);
            }
        });
    }
}
