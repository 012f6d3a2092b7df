package dev.prefalign.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.testkit.CliRun;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The trainer's command line as a user (and Kubernetes, through exit codes) sees it. */
class CliTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void writeModelAndData() {
        TinyJob.model(root.resolve("base"), 8);
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.pairs(6, 2));
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("run", List.of("--file", "--work-dir", "--summary-file")),
                Arguments.of("evaluate", List.of("--file", "--work-dir", "--model", "--output", "--per-example")),
                Arguments.of("generate", List.of("--model", "--prompt", "--raw", "--max-new-tokens", "--temperature",
                        "--top-p", "--seed")),
                Arguments.of("demo", List.of("--work-dir")),
                Arguments.of("bench", List.of("--json", "--steps", "--warmup", "--method")),
                Arguments.of("compare", List.of("--file", "--work-dir", "--dry-run")),
                Arguments.of("report", List.of("--file", "--work-dir", "--output")));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void everyCommandExplainsItsOptions(String command, List<String> options) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage:").contains(command).contains("--help");
        for (String option : options) {
            assertThat(run.out()).as("%s --help lists %s", command, option).contains(option);
        }
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        Set<String> commands = commands().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        for (String command : commands) {
            assertThat(run.out()).contains(command);
        }
    }

    @Test
    void unknownManifestFieldIsBadInputNamingItsPath() {
        Path manifest = TinyJob.manifest(root.resolve("typo.yaml"), "typo", "DPO", "base", "data/pairs.jsonl", "",
                "learningRat: 1.0e-3");
        CliRun run = CliRun.of("run", "--status-port", "0", "-f", manifest.toString(), "--work-dir", root.resolve("work/typo").toString());
        assertThat(run.exitCode()).as("bad input: Kubernetes must not retry").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("spec.training.learningRat").contains("typo.yaml");
        assertThat(run.err()).as("a one-line error, not a crash dump").doesNotContain("crashed").doesNotContain("\tat ");
    }

    @Test
    void missingModelFolderIsBadInputNamingTheField() {
        Path manifest = TinyJob.manifest(root.resolve("nomodel.yaml"), "nomodel", "DPO", "no-such-model",
                "data/pairs.jsonl", "", "batchSize: 2");
        CliRun run = CliRun.of("run", "--status-port", "0", "-f", manifest.toString(), "--work-dir", root.resolve("work/nomodel").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("spec.model.source").contains("no-such-model");
    }

    @Test
    void modelFolderWithoutTokenizerIsBadInputNamingTheField() throws Exception {
        Path model = TinyJob.model(root.resolve("no-tokenizer"), 8);
        Files.delete(model.resolve("tokenizer.json"));
        Path manifest = TinyJob.manifest(root.resolve("notok.yaml"), "notok", "DPO", "no-tokenizer",
                "data/pairs.jsonl", "", "batchSize: 2");
        CliRun run = CliRun.of("run", "--status-port", "0", "-f", manifest.toString(), "--work-dir", root.resolve("work/notok").toString());
        assertThat(run.exitCode()).as("retrying cannot create the file: bad input, not a crash")
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("spec.model.source").contains("tokenizer.json");
    }

    @Test
    void runTrainsExportsAndWritesItsSummary() throws Exception {
        Path manifest = TinyJob.manifest(root.resolve("ok.yaml"), "ok", "ORPO", "base", "data/pairs.jsonl", "",
                "batchSize: 3\nlearningRate: 1.0e-3\nlogEverySteps: 1");
        Path work = root.resolve("work/ok");
        Path summaryFile = root.resolve("summary.json");
        CliRun run = CliRun.of("run", "--status-port", "0", "-f", manifest.toString(), "--work-dir", work.toString(), "--summary-file",
                summaryFile.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(summary.get("steps").asLong()).isEqualTo(2);
        assertThat(summary.get("method").asText()).isEqualTo("ORPO");
        assertThat(work.resolve("output/config.json")).exists();
        assertThat(work.resolve("output/tokenizer.json")).exists();
        assertThat(Files.exists(work.resolve("output/model.safetensors"))).isTrue();
    }

    @Test
    void generatePrintsTextFromATinyModel() {
        CliRun run = CliRun.of("generate", "--model", root.resolve("base").toString(), "--prompt", "hello world",
                "--max-new-tokens", "8");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String text = run.out().strip();
        assertThat(text).isNotEmpty();
        assertThat(text.split("\\s+")).as("at most --max-new-tokens words").hasSizeLessThanOrEqualTo(8);
        // Decoded words can only come from the model's vocabulary; special tokens are skipped.
        for (String word : text.split("\\s+")) {
            assertThat(TinyJob.WORDS).as("generated word '%s'", word).contains(word);
        }
    }

    @Test
    void generateOnAMissingModelIsBadInput() {
        CliRun run = CliRun.of("generate", "--model", root.resolve("nowhere").toString(), "--prompt", "hello");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("nowhere");
    }
}
