package dev.prefalign.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every check of {@link JobManifests#parse}, with the exact message a user sees. */
class ManifestErrorsTest {

    /** Lines 1-5; the spec's own lines start at line 6. */
    private static final String HEADER = """
            apiVersion: prefalign.dev/v1alpha1
            kind: PreferenceAlignmentJob
            metadata:
              name: test-job
            spec:
            """;
    /** Spec lines 6-10; anything added starts at line 11. */
    private static final String BASICS = """
            method: DPO
            model:
              source: ./models/tiny
            dataset:
              source: ./data/pairs.jsonl
            """;

    static Stream<Arguments> singleProblems() {
        return Stream.of(
                // unknown fields, with and without a likely intent
                problem("training:\n  learnRate: 1.0e-6\n", 12, 5,
                        "unknown field spec.training.learnRate (did you mean learningRate?)"),
                problem("dpo:\n  beat: 0.2\n", 12, 5, "unknown field spec.dpo.beat (did you mean beta?)"),
                problem("training:\n  evalSteps: 10\n", 12, 5,
                        "unknown field spec.training.evalSteps (did you mean evalEverySteps?)"),
                problem("orpo:\n  weight: 0.2\n", 12, 5, "unknown field spec.orpo.weight (known fields: lambda)"),
                problem("resources:\n  tolerations:\n  - key: gpu\n    efect: NoSchedule\n", 14, 7,
                        "unknown field spec.resources.tolerations[0].efect (did you mean effect?)"),
                // types
                problem("training:\n  batchSize: eight\n", 12, 5,
                        "spec.training.batchSize must be a whole number, not the string \"eight\""),
                problem("training:\n  batchSize: 8.5\n", 12, 5,
                        "spec.training.batchSize must be a whole number, not the number 8.5"),
                problem("training:\n  epochs: 99999999999\n", 12, 5,
                        "spec.training.epochs is too large (got 99999999999)"),
                problem("training:\n  shuffle: 1\n", 12, 5,
                        "spec.training.shuffle must be true or false, not the number 1"),
                problem("dpo:\n  beta: high\n", 12, 5, "spec.dpo.beta must be a number, not the string \"high\""),
                problem("training: 5\n", 11, 3, "spec.training must be a mapping of fields, not the number 5"),
                problem("image: [a, b]\n", 11, 3, "spec.image must be a string, not a list"),
                problem("image: 42\n", 11, 3, "spec.image must be a string (write it in quotes: \"42\"), not the "
                        + "number 42"),
                problem("resources:\n  nodeSelector:\n    gpu: true\n", 13, 7,
                        "spec.resources.nodeSelector.gpu must be a string (write it in quotes: \"true\"), not true"),
                problem("resources:\n  nodeSelector:\n    kubernetes.io/arch: 1\n", 13, 7,
                        "spec.resources.nodeSelector[\"kubernetes.io/arch\"] must be a string (write it in quotes: "
                                + "\"1\"), not the number 1"),
                problem("resources:\n  nodeSelector: [a]\n", 12, 5,
                        "spec.resources.nodeSelector must be a mapping of keys to values, not a list"),
                problem("resources:\n  tolerations: {key: gpu}\n", 12, 5,
                        "spec.resources.tolerations must be a list, not a mapping"),
                // enum values
                problem("dpo:\n  lossType: sigmod\n", 12, 5, "spec.dpo.lossType has unknown value \"sigmod\" "
                        + "(allowed: sigmoid, ipo, hinge, robust; did you mean sigmoid?)"),
                problem("dataset:\n  source: ./d\n  format: Standard\n", 11, 5, "spec.dataset.format has unknown "
                        + "value \"Standard\" (allowed: auto, standard, conversational; did you mean standard?)"),
                problem("dataset:\n  source: ./d\n  invalidRows: ignore\n", 11, 5, "spec.dataset.invalidRows has "
                        + "unknown value \"ignore\" (allowed: fail, skip)"),
                problem("training:\n  precision: 16\n", 12, 5,
                        "spec.training.precision must be one of auto, fp32, fp16, bf16, not the number 16"),
                // bounds (from the @Min/@Max annotations)
                problem("dpo:\n  beta: 0\n", 12, 5, "spec.dpo.beta must be > 0 (got 0.0)"),
                problem("dpo:\n  labelSmoothing: 0.5\n", 12, 5, "spec.dpo.labelSmoothing must be in [0, 0.5) (got 0.5)"),
                problem("training:\n  batchSize: 0\n", 12, 5, "spec.training.batchSize must be >= 1 (got 0)"),
                problem("training:\n  learningRate: -1.0e-5\n", 12, 5,
                        "spec.training.learningRate must be > 0 (got -1.0E-5)"),
                problem("training:\n  warmupRatio: 1.5\n", 12, 5, "spec.training.warmupRatio must be in [0, 1] (got 1.5)"),
                problem("dataset:\n  source: ./d\n  evalFraction: 1.0\n", 11, 5,
                        "spec.dataset.evalFraction must be in [0, 1) (got 1.0)"),
                problem("checkpoints:\n  keep: 0\n", 12, 5, "spec.checkpoints.keep must be >= 1 (got 0)"),
                problem("runPolicy:\n  activeDeadlineSeconds: 0\n", 12, 5,
                        "spec.runPolicy.activeDeadlineSeconds must be >= 1 (got 0)"),
                problem("resources:\n  gpus: -1\n", 12, 5, "spec.resources.gpus must be >= 0 (got -1)"),
                // names and quantities
                problem("storage:\n  storageClassName: Fast_SSD\n", 12, 5, "spec.storage.storageClassName "
                        + "\"Fast_SSD\" is not valid: use a DNS-1123 name (lower-case letters, digits, '-' and '.'; "
                        + "starting and ending with a letter or digit) or empty"),
                problem("resources:\n  gpuResourceName: nvidia.com/gpu/\n", 12, 5, "spec.resources.gpuResourceName "
                        + "\"nvidia.com/gpu/\" is not valid: use a resource name such as nvidia.com/gpu"),
                problem("resources:\n  memory: 32GB\n", 12, 5, "spec.resources.memory \"32GB\" is not a Kubernetes "
                        + "quantity (e.g. 32Gi or 512Mi)"),
                problem("resources:\n  cpu: 0\n", 12, 5, "spec.resources.cpu must be greater than 0 (got 0)"),
                problem("storage:\n  existingClaim: shared\n  storageClassName: fast\n", 13, 5,
                        "spec.storage.storageClassName applies only to a claim the operator creates, but "
                                + "spec.storage.existingClaim is set; remove one of them"),
                // cross-field rules
                problem("orpo:\n  lambda: 0.5\n", 11, 3,
                        "spec.orpo applies only to method ORPO (method is DPO); remove the section or set method: ORPO"),
                problem("referenceModel:\n  source: ./ref\ndataset:\n  source: ./d\n  evalSplit: test\n"
                                + "  evalFraction: 0.1\n", 14, 5,
                        "spec.dataset.evalSplit and spec.dataset.evalFraction are both set; evaluate on a split or "
                                + "on a held-out fraction, not both"),
                problem("training:\n  maxLength: 256\n", 11, 3, "spec.training.maxPromptLength (512) must be less "
                        + "than spec.training.maxLength (256) to leave room for the completion"),
                problem("training:\n  maxSteps: 0\n", 12, 5,
                        "spec.training.maxSteps must be -1 (train for epochs) or > 0 (got 0)"),
                problem("training:\n  evalEverySteps: 50\n", 12, 5, "spec.training.evalEverySteps is 50 but there is "
                        + "no eval set; set spec.dataset.evalSplit or spec.dataset.evalFraction, or set "
                        + "evalEverySteps to 0"),
                problem("dpo:\n  lossType: hinge\n  labelSmoothing: 0.1\n", 13, 5, "spec.dpo.labelSmoothing applies "
                        + "only to lossType sigmoid or robust (lossType is hinge); set it to 0 or change the loss"),
                // sources
                problem("dataset:\n  source: hf://trl-lib/ultrafeedback_binarized\n", 10, 5, "spec.dataset.source "
                        + "\"hf://trl-lib/ultrafeedback_binarized\" names a model repository; Hub datasets are "
                        + "written hf://datasets/<owner>/<name>, e.g. hf://datasets/trl-lib/ultrafeedback_binarized"),
                problem("model:\n  source: s3://bucket/model\n", 10, 5,
                        "spec.model.source has unsupported scheme s3://; use hf://, pvc:// or a local path"),
                problem("model:\n  source: pvc://models\n", 10, 5,
                        "spec.model.source \"pvc://models\" must be pvc://<claim>/<path>"),
                problem("model:\n  source: \"\"\n", 10, 5, "spec.model.source must not be empty"),
                problem("model:\n  source: ./m\n  tokenSecretRef: {name: hf-token}\n", 11, 5,
                        "spec.model.tokenSecretRef.key is required"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("singleProblems")
    void reportsTheProblemWithItsFieldAndLine(String extraSpec, int line, int column, String message) {
        ManifestException e = failure(HEADER + indent(overriding(BASICS, extraSpec) + extraSpec));

        assertThat(e.problems()).extracting(ManifestProblem::message).containsExactly(message);
        assertThat(e.problems().get(0).line()).as("line").isEqualTo(line);
        assertThat(e.problems().get(0).column()).as("column").isEqualTo(column);
        assertThat(e.getMessage()).isEqualTo("test.yaml:" + line + ":" + column + ": " + message);
    }

    @Test
    void wrongApiVersionAndKindAreReportedAloneBeforeAnythingElse() {
        ManifestException e = failure("""
                apiVersion: prefalign.dev/v1
                kind: PreferenceAlignmentJobs
                metadata: {name: x}
                spec: {bogus: 1}
                """);

        assertThat(e.getMessage()).isEqualTo("""
                test.yaml:1:1: apiVersion must be prefalign.dev/v1alpha1 (got prefalign.dev/v1)
                test.yaml:2:1: kind must be PreferenceAlignmentJob (got PreferenceAlignmentJobs)""");
    }

    @Test
    void missingApiVersionKindAndRequiredFields() {
        assertThat(failure("metadata: {name: x}\nspec: {}\n").problems()).extracting(ManifestProblem::message)
                .containsExactly("apiVersion is required (apiVersion: prefalign.dev/v1alpha1)",
                        "kind is required (kind: PreferenceAlignmentJob)");
        assertThat(failure("apiVersion: prefalign.dev/v1alpha1\nkind: PreferenceAlignmentJob\nmetadata: {}\n")
                .problems()).extracting(ManifestProblem::message)
                .containsExactly("metadata.name is required", "spec is required");
        assertThat(failure(HEADER + "  training: {}\n").problems()).extracting(ManifestProblem::message)
                .containsExactly("spec.method is required (one of DPO, ORPO, SFT)",
                        "spec.model.source is required", "spec.dataset.source is required");
    }

    @Test
    void methodValuesAreCaseSensitiveLikeTheCrd() {
        ManifestException e = failure(HEADER + indent("method: dpo\nmodel: {source: ./m}\ndataset: {source: ./d}\n"));

        assertThat(e.getMessage()).isEqualTo("test.yaml:6:3: spec.method has unknown value \"dpo\" "
                + "(allowed: DPO, ORPO, SFT; did you mean DPO?)");
    }

    @Test
    void sectionsOfAnotherMethodAreRejectedOnlyWhenTheyChangeSomething() throws Exception {
        String orpo = HEADER + indent("method: ORPO\nmodel: {source: ./m}\ndataset: {source: ./d}\n");

        assertThat(failure(orpo + "  dpo:\n    beta: 0.2\n").getMessage()).isEqualTo("test.yaml:9:3: spec.dpo "
                + "applies only to method DPO (method is ORPO); remove the section or set method: DPO");
        assertThat(failure(orpo + "  referenceModel: {source: ./ref}\n").getMessage()).isEqualTo("test.yaml:9:3: "
                + "spec.referenceModel applies only to method DPO (method is ORPO); remove it");
        // Restating the defaults changes nothing (the contract's own example carries orpo under DPO).
        assertThat(JobManifests.parse(orpo + "  dpo:\n    beta: 0.1\n", "test.yaml").getSpec().getOrpo().getLambda())
                .isEqualTo(0.1);
    }

    @Test
    void reportsEveryProblemAtOnceInLineOrder() {
        ManifestException e = failure(HEADER + indent(BASICS + """
                dpo:
                  beta: 0
                  lossType: sigmod
                training:
                  learnRate: 1
                  batchSize: x
                """));

        assertThat(e.getMessage()).isEqualTo("""
                test.yaml:13:5: spec.dpo.lossType has unknown value "sigmod" (allowed: sigmoid, ipo, hinge, robust; \
                did you mean sigmoid?)
                test.yaml:15:5: unknown field spec.training.learnRate (did you mean learningRate?)
                test.yaml:16:5: spec.training.batchSize must be a whole number, not the string "x\"""");
    }

    @Test
    void boundsAreCheckedAfterTypesSoBothAppearWhenTypesAreFine() {
        ManifestException e = failure(HEADER + indent(BASICS + "dpo:\n  beta: 0\ntraining:\n  batchSize: 0\n"));

        assertThat(e.problems()).extracting(ManifestProblem::path)
                .containsExactly("spec.dpo.beta", "spec.training.batchSize");
    }

    @Test
    void badNamesAndStructure() {
        assertThat(failure(HEADER.replace("test-job", "Test_Job") + indent(BASICS)).getMessage())
                .isEqualTo("test.yaml:4:3: metadata.name \"Test_Job\" is not valid: use lower-case letters, digits, "
                        + "'-' and '.', starting and ending with a letter or digit");
        assertThat(failure("- a\n- b\n").getMessage()).isEqualTo("test.yaml:1:1: the document must be a mapping "
                + "with apiVersion, kind, metadata and spec, not a list");
        assertThat(failure(HEADER + indent(BASICS) + "specs: {}\n").getMessage())
                .isEqualTo("test.yaml:11:1: unknown field specs (did you mean spec?)");
        assertThat(failure(HEADER.replace("  name: test-job", "  name: test-job\n  lables: {a: b}")
                + indent(BASICS)).getMessage())
                .isEqualTo("test.yaml:5:3: unknown field metadata.lables (did you mean labels?)");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysCarryTheirLine() {
        ManifestException syntax = failure(HEADER + "  method: DPO\n  model: [unclosed\n");
        assertThat(syntax.getMessage()).startsWith("test.yaml:7:").endsWith("YAML syntax error: while parsing a flow "
                + "sequence; expected ',' or ']', but got <stream end>");

        ManifestException duplicate = failure(HEADER + indent(BASICS + "method: ORPO\n"));
        assertThat(duplicate.getMessage()).startsWith("test.yaml:11:").contains("duplicate key 'method'");
    }

    @Test
    void fileLevelProblems() {
        assertThat(failure("").getMessage())
                .isEqualTo("test.yaml: the file holds no YAML document; expected a PreferenceAlignmentJob manifest");
        assertThat(failure("# only a comment\n---\n").getMessage())
                .isEqualTo("test.yaml: the file holds no YAML document; expected a PreferenceAlignmentJob manifest");
        assertThat(failure("kind: ConfigMap\n---\nkind: Secret\n").getMessage())
                .isEqualTo("test.yaml: none of the 2 documents is a PreferenceAlignmentJob (kinds: ConfigMap, Secret)");
        String job = HEADER + indent(BASICS);
        assertThat(failure(job + "---\n" + job).getMessage()).isEqualTo("test.yaml:12:1: 2 PreferenceAlignmentJob "
                + "documents (at lines 1, 12); the trainer runs one job per file");
    }

    private static ManifestException failure(String yaml) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> JobManifests.parse(yaml, "test.yaml"));
        assertThat(e).as("expected a ManifestException for:\n" + yaml).isNotNull();
        assertThat(e.origin()).isEqualTo("test.yaml");
        return e;
    }

    /** BASICS without the top-level sections that the case writes itself (so no key is duplicated). */
    private static String overriding(String basics, String extra) {
        StringBuilder kept = new StringBuilder();
        String skipping = null;
        for (String line : basics.split("\n")) {
            boolean top = !line.startsWith(" ");
            if (top) {
                String key = line.substring(0, line.indexOf(':') + 1);
                skipping = extra.startsWith(key) || extra.contains("\n" + key) ? key : null;
            }
            if (skipping == null) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static Arguments problem(String extraSpec, int line, int column, String message) {
        return Arguments.of(extraSpec, line, column, message);
    }

    private static String indent(String yaml) {
        return yaml.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
