package dev.prefalign.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates the CEL rules of the committed CRD (the one users install) with cel-java, the way the API server
 * would: every example manifest is accepted, each crafted breach is rejected with its rule's message (and by
 * SpecValidator at the same field, which the trainer and the operator apply), and the spec is frozen once the job
 * has started, but for runPolicy.suspend and runPolicy.ttlSecondsAfterFinished.
 */
class CelRulesTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String FILE = "preferencealignmentjobs.prefalign.dev-v1.yml";
    private static final String SCHEMA = "/spec/versions/0/schema/openAPIV3Schema";

    static final String REFERENCE_MODEL = "referenceModel applies only to method DPO; remove it or set method: DPO";
    static final String DPO = "dpo applies only to method DPO; remove the section or set method: DPO";
    static final String ORPO = "orpo applies only to method ORPO; remove the section or set method: ORPO";
    static final String EVAL_EVERY = "training.evalEverySteps > 0 needs an eval set; set dataset.evalSplit or "
            + "dataset.evalFraction, or set evalEverySteps to 0";
    static final String EVAL_BOTH = "evalSplit and evalFraction are both set; evaluate on a split or on a held-out "
            + "fraction, not both";
    static final String MAX_STEPS = "maxSteps must be -1 (train for epochs) or > 0";
    static final String LABEL_SMOOTHING = "labelSmoothing applies only to lossType sigmoid or robust; set it to 0 or "
            + "change the loss";
    static final String PROMPT_LENGTH = "maxPromptLength must be less than maxLength to leave room for the completion";
    static final String TWO_CLAIMS = "storageClassName applies only to a claim the operator creates, but "
            + "existingClaim is set; remove one of them";
    static final String IMMUTABLE = "spec cannot change once the job has started (status.startTime is set), except "
            + "spec.runPolicy.suspend and spec.runPolicy.ttlSecondsAfterFinished; create a new job instead";

    private static final String BASE = """
            apiVersion: prefalign.dev/v1alpha1
            kind: PreferenceAlignmentJob
            metadata:
              name: cel-base
            spec:
              method: DPO
              model:
                source: hf://HuggingFaceTB/SmolLM2-135M-Instruct
              dataset:
                source: hf://datasets/trl-lib/ultrafeedback_binarized
              training:
                maxSteps: 10
            """;

    private static CelRules committed;
    private static CelRules generated;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        committed = CelRules.of(YAML.readTree(Files.readString(Path.of("src", "main", "kubernetes", FILE)))
                .at(SCHEMA));
        new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                .customResourceClasses(PreferenceAlignmentJob.class).generate();
        generated = CelRules.of(YAML.readTree(Files.readString(dir.resolve(FILE))).at(SCHEMA));
    }

    @Test
    void theCommittedCrdCarriesTheRulesOfTheJavaTypes() {
        assertThat(describe(committed)).as("regenerate the committed CRD (docs/operator.md, CommittedCrdTest)")
                .isEqualTo(describe(generated));
        assertThat(describe(committed)).containsExactlyInAnyOrder(
                "<root> .spec " + IMMUTABLE,
                "spec .referenceModel " + REFERENCE_MODEL,
                "spec .dpo " + DPO,
                "spec .orpo " + ORPO,
                "spec .training.evalEverySteps " + EVAL_EVERY,
                "spec.dataset .evalFraction " + EVAL_BOTH,
                "spec.dpo .labelSmoothing " + LABEL_SMOOTHING,
                "spec.training .maxPromptLength " + PROMPT_LENGTH,
                "spec.training .maxSteps " + MAX_STEPS,
                "spec.storage .storageClassName " + TWO_CLAIMS);
        assertThat(committed.rules()).filteredOn(CelRules.Rule::isTransition).extracting(CelRules.Rule::where)
                .containsExactly("<root>");
    }

    static Stream<Path> manifests() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(out::add);
        }
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "manifests"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(out::add);
        }
        return out.stream();
    }

    /** Each manifest passes as written (defaults from the CRD), as the trainer resolves it, and as Java objects. */
    @ParameterizedTest
    @MethodSource("manifests")
    void everyExampleManifestPasses(Path manifest) throws Exception {
        PreferenceAlignmentJob job = JobManifests.read(manifest);
        assertThat(committed.create(jobDocument(Files.readString(manifest)))).as("%s as written", manifest).isEmpty();
        assertThat(committed.create(YAML.readTree(JobManifests.toYaml(job)))).as("%s resolved", manifest).isEmpty();
        assertThat(committed.create(YAML.valueToTree(job))).as("%s with every section", manifest).isEmpty();
    }

    @Test
    void theExampleFoldersAreNotEmpty() throws IOException {
        assertThat(manifests().map(p -> p.getFileName().toString()))
                .contains("dpo-smollm2-ultrafeedback.yaml", "orpo-qwen2.5-ultrafeedback.yaml", "contract-example.yaml");
    }

    /** Breaches of one rule each: the CRD names that rule, SpecValidator the same field. */
    static Stream<Breach> breaches() {
        return Stream.of(
                new Breach(REFERENCE_MODEL, "spec.referenceModel", "spec.method=ORPO",
                        "spec.referenceModel.source=hf://HuggingFaceTB/SmolLM2-360M-Instruct"),
                new Breach(DPO, "spec.dpo", "spec.method=ORPO", "spec.dpo.beta=0.2"),
                new Breach(DPO, "spec.dpo", "spec.method=ORPO", "spec.dpo.lossType=ipo"),
                new Breach(DPO, "spec.dpo", "spec.method=SFT", "spec.dpo.labelSmoothing=0.1"),
                new Breach(DPO, "spec.dpo", "spec.method=SFT", "spec.dpo.precomputeReferenceLogProbs=true"),
                new Breach(ORPO, "spec.orpo", "spec.orpo.lambda=0.5"),
                new Breach(ORPO, "spec.orpo", "spec.method=SFT", "spec.orpo.lambda=1"),
                new Breach(EVAL_BOTH, "spec.dataset.evalFraction", "spec.dataset.evalSplit=test",
                        "spec.dataset.evalFraction=0.1"),
                new Breach(EVAL_EVERY, "spec.training.evalEverySteps", "spec.training.evalEverySteps=50"),
                new Breach(MAX_STEPS, "spec.training.maxSteps", "spec.training.maxSteps=0"),
                new Breach(LABEL_SMOOTHING, "spec.dpo.labelSmoothing", "spec.dpo.lossType=hinge",
                        "spec.dpo.labelSmoothing=0.1"),
                new Breach(LABEL_SMOOTHING, "spec.dpo.labelSmoothing", "spec.dpo.lossType=ipo",
                        "spec.dpo.labelSmoothing=0.2"),
                new Breach(PROMPT_LENGTH, "spec.training.maxPromptLength", "spec.training.maxPromptLength=1024"),
                new Breach(TWO_CLAIMS, "spec.storage.storageClassName", "spec.storage.existingClaim=team-scratch",
                        "spec.storage.storageClassName=fast-ssd"));
    }

    record Breach(String message, String validatorPath, String... edits) {
        @Override
        public String toString() {
            return String.join(", ", edits);
        }
    }

    @ParameterizedTest
    @MethodSource("breaches")
    void eachBreachIsRejectedWithItsMessage(Breach breach) {
        JsonNode job = edit(BASE, breach.edits());
        assertThat(committed.create(job)).containsExactly(breach.message());
        assertThatThrownBy(() -> JobManifests.parse(YAML.writeValueAsString(job), "breach"))
                .isInstanceOf(ManifestException.class).hasMessageContaining(breach.validatorPath());
    }

    /** What the "only with" rules must let through: sections that restate defaults, and each rule's good side. */
    @ParameterizedTest
    @MethodSource("accepted")
    void neighboursOfTheRulesAreAccepted(List<String> edits) {
        JsonNode job = edit(BASE, edits.toArray(String[]::new));
        assertThat(committed.create(job)).isEmpty();
        assertThatCode(() -> JobManifests.parse(YAML.writeValueAsString(job), "accepted")).doesNotThrowAnyException();
    }

    static Stream<List<String>> accepted() {
        return Stream.of(
                List.of("spec.method=ORPO", "spec.dpo={}"),
                List.of("spec.method=ORPO", "spec.dpo.beta=0.1", "spec.dpo.lossType=sigmoid",
                        "spec.dpo.labelSmoothing=0", "spec.dpo.precomputeReferenceLogProbs=false"),
                List.of("spec.method=SFT", "spec.orpo={}", "spec.dpo={}"),
                List.of("spec.orpo.lambda=0.1"),
                List.of("spec.method=ORPO", "spec.orpo.lambda=1"),
                List.of("spec.referenceModel.source=hf://HuggingFaceTB/SmolLM2-360M-Instruct"),
                List.of("spec.dpo.beta=1", "spec.dpo.lossType=robust", "spec.dpo.labelSmoothing=0.2"),
                List.of("spec.dpo.lossType=hinge", "spec.dpo.labelSmoothing=0"),
                List.of("spec.dataset.evalSplit=test", "spec.dataset.evalFraction=0"),
                List.of("spec.dataset.evalSplit=test", "spec.training.evalEverySteps=50"),
                List.of("spec.dataset.evalFraction=0.05", "spec.training.evalEverySteps=50"),
                List.of("spec.training.maxSteps=-1"),
                List.of("spec.storage.existingClaim=team-scratch"));
    }

    /** The literals in the "only with" rules are the Java defaults: a default section passes under any method. */
    @ParameterizedTest
    @EnumSource(Method.class)
    void sectionsHoldingTheJavaDefaultsPassUnderEveryMethod(Method method) {
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.getMetadata().setName("defaults");
        job.getSpec().setMethod(method);
        job.getSpec().setModel(new ModelSpec("hf://HuggingFaceTB/SmolLM2-135M-Instruct"));
        job.getSpec().setDataset(new DatasetSpec("hf://datasets/trl-lib/ultrafeedback_binarized"));
        JsonNode tree = YAML.valueToTree(job);
        assertThat(tree.at("/spec/dpo/beta").isMissingNode()).isFalse();
        assertThat(tree.at("/spec/orpo/lambda").isMissingNode()).isFalse();
        assertThat(committed.create(tree)).isEmpty();
    }

    @Test
    void afterStartTheSpecIsFrozen() {
        JsonNode started = started(BASE);
        for (String change : List.of("spec.training.learningRate=1.0e-6", "spec.method=SFT",
                "spec.dataset.source=hf://datasets/other/prefs", "spec.model.source=hf://Qwen/Qwen2.5-0.5B-Instruct",
                "spec.image=registry.example/trainer:2", "spec.storage.size=40Gi", "spec.dpo.beta=0.2",
                "spec.resources.gpus=2", "spec.checkpoints.everySteps=10", "spec.runPolicy.backoffLimit=5",
                "spec.runPolicy.activeDeadlineSeconds=3600",
                "spec.referenceModel.source=hf://HuggingFaceTB/SmolLM2-360M-Instruct")) {
            assertThat(committed.update(started, edit(started, change))).as(change).contains(IMMUTABLE);
        }
    }

    @Test
    void afterStartSuspendAndTtlMayChange() {
        JsonNode started = started(BASE);
        assertThat(committed.update(started, edit(started, "spec.runPolicy.suspend=true"))).isEmpty();
        assertThat(committed.update(started, edit(started, "spec.runPolicy.ttlSecondsAfterFinished=600"))).isEmpty();
        JsonNode withPolicy = edit(started, "spec.runPolicy.suspend=true", "spec.runPolicy.backoffLimit=3",
                "spec.runPolicy.activeDeadlineSeconds=7200");
        assertThat(committed.update(withPolicy, edit(withPolicy, "spec.runPolicy.suspend=false",
                "spec.runPolicy.ttlSecondsAfterFinished=0"))).isEmpty();
        assertThat(committed.update(withPolicy, edit(withPolicy, "spec.runPolicy.activeDeadlineSeconds=60")))
                .contains(IMMUTABLE);
        // The operator's status writes and metadata edits leave the spec alone.
        assertThat(committed.update(started, edit(started, "status.phase=Running", "metadata.labels.team=a")))
                .isEmpty();
    }

    /**
     * An API server refuses a whole CRD when one rule's estimated cost is over its limit, so the rules must stay far
     * below it: the freeze rule compares whole sections, which the estimator charges by their bounded strings only.
     */
    @Test
    void everyRuleIsEstimatedFarBelowTheApiServersCostLimits() {
        long total = 0;
        for (CelRules.Rule rule : committed.rules()) {
            long cost = CelCostEstimate.of(rule, committed.schema());
            assertThat(cost).as("estimated cost of the rule at %s: %s", rule.where(), rule.expression())
                    .isLessThan(CelCostEstimate.RULE_LIMIT / 100);
            total += cost;
        }
        assertThat(total).isLessThan(CelCostEstimate.CRD_LIMIT / 1000);
    }

    @Test
    void theCostEstimateChargesUnboundedStringsByTheRequestLimit() {
        CelRules.Rule freeze = committed.rules().stream().filter(CelRules.Rule::isTransition).findFirst()
                .orElseThrow();
        JsonNode schema = committed.schema().deepCopy();
        long bounded = CelCostEstimate.of(freeze, schema);
        ((ObjectNode) schema.at("/properties/spec/properties/image"))
                .remove("maxLength");
        long unbounded = CelCostEstimate.of(freeze, schema);
        // a tenth of the 3 MiB request limit, instead of a tenth of 512 code points of 4 bytes
        assertThat(unbounded - bounded).isEqualTo((3L * 1024 * 1024 - 2 + 9) / 10 - (512 * 4 + 9) / 10);
    }

    /** The API server prunes a null unless the field is nullable: then has() sees the field as set. */
    @Test
    void nullsArePrunedUnlessTheFieldIsNullable() {
        JsonNode prunedNull = edit(BASE, "spec.method=ORPO", "spec.dpo=null");
        assertThat(prunedNull.at("/spec/dpo").isNull()).isTrue();
        assertThat(committed.create(prunedNull)).isEmpty();
        assertThat(committed.create(edit(BASE, "spec.method=ORPO", "spec.dpo.beta=0.3"))).containsExactly(DPO);
        assertThat(committed.create(edit(BASE, "spec.method=ORPO", "spec.referenceModel=null")))
                .containsExactly(REFERENCE_MODEL);
    }

    @Test
    void beforeStartTheSpecMayChange() {
        JsonNode created = edit(BASE);
        String change = "spec.training.learningRate=1.0e-6";
        assertThat(committed.update(created, edit(created, change))).isEmpty();
        JsonNode pending = edit(BASE, "status.phase=Pending");
        assertThat(committed.update(pending, edit(pending, change, "spec.method=ORPO"))).isEmpty();
        // Creating an object with a status runs no transition rule (there is no old object).
        assertThat(committed.create(started(BASE))).isEmpty();
    }

    private static JsonNode started(String yaml) {
        return edit(yaml, "status.startTime=2026-11-26T12:00:00Z", "status.phase=Running");
    }

    private static List<String> describe(CelRules rules) {
        return rules.rules().stream().map(r -> r.where() + " " + r.fieldPath() + " " + r.message()).toList();
    }

    /** The PreferenceAlignmentJob document of a manifest file that may hold other documents too. */
    private static JsonNode jobDocument(String text) throws IOException {
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
            if (PreferenceAlignmentJob.KIND.equals(doc.path("kind").asText())) {
                return doc;
            }
        }
        throw new AssertionError("no " + PreferenceAlignmentJob.KIND + " document");
    }

    private static JsonNode edit(String yaml, String... edits) {
        try {
            return edit(YAML.readTree(yaml), edits);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy with each "dotted.path=yaml scalar" set, creating the objects on the way. */
    private static JsonNode edit(JsonNode original, String... edits) {
        ObjectNode copy = original.deepCopy();
        for (String edit : edits) {
            int eq = edit.indexOf('=');
            String[] keys = edit.substring(0, eq).split("\\.");
            ObjectNode parent = copy;
            for (int i = 0; i < keys.length - 1; i++) {
                parent = parent.has(keys[i]) ? (ObjectNode) parent.get(keys[i]) : parent.putObject(keys[i]);
            }
            try {
                parent.set(keys[keys.length - 1], YAML.readTree(edit.substring(eq + 1)));
            } catch (IOException e) {
                throw new AssertionError(edit, e);
            }
        }
        return copy;
    }
}
