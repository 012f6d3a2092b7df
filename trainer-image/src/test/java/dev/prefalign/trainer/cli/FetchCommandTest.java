package dev.prefalign.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.hub.FakeHub;
import dev.prefalign.trainer.hub.HubSettings;
import dev.prefalign.trainer.hub.LogCapture;
import dev.prefalign.trainer.hub.SnapshotRecord;
import dev.prefalign.trainer.testkit.CliRun;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch}, and {@code evaluate} on hf:// sources, end to end against the fake Hub. The endpoint and token reach
 * the command through the system properties that stand in for HF_ENDPOINT and HF_TOKEN.
 */
class FetchCommandTest {
    private static final String TOKEN = "hf_CliSecret_9f8e7d6c5b4a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path fixtures;

    private static Map<String, byte[]> model;
    private static Map<String, byte[]> data;

    @TempDir
    Path root;

    private FakeHub hub;
    private LogCapture logs;

    @BeforeAll
    static void writeFixtures() {
        model = FakeHub.filesOf(TinyJob.model(fixtures.resolve("model"), 5));
        Path dataDir = fixtures.resolve("data");
        TinyJob.writePairs(dataDir.resolve("train.jsonl"), TinyJob.pairs(8, 1));
        TinyJob.writePairs(dataDir.resolve("test.jsonl"), TinyJob.pairs(6, 2));
        TinyJob.writePairs(dataDir.resolve("validation.jsonl"), TinyJob.pairs(4, 3));
        data = FakeHub.filesOf(dataDir);
    }

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        logs = new LogCapture();
        Map<String, byte[]> modelFiles = new LinkedHashMap<>(model);
        modelFiles.put("pytorch_model.bin", new byte[2048]);
        hub.model("acme/tiny").commit("main", modelFiles);
        hub.dataset("acme/prefs").commit("main", data);
        System.setProperty(HubSettings.ENDPOINT_PROPERTY, hub.endpoint());
        System.setProperty(HubSettings.TOKEN_PROPERTY, TOKEN);
        System.setProperty(HubSettings.ATTEMPTS_PROPERTY, "1");
    }

    @AfterEach
    void stop() {
        System.clearProperty(HubSettings.ENDPOINT_PROPERTY);
        System.clearProperty(HubSettings.TOKEN_PROPERTY);
        System.clearProperty(HubSettings.ATTEMPTS_PROPERTY);
        logs.close();
        hub.close();
        assertThat(logs.lines()).noneMatch(line -> line.contains(TOKEN));
    }

    private Path manifest(String model, String evalSplit) throws Exception {
        String yaml = """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: hub-job
                spec:
                  method: DPO
                  model:
                    source: %s
                  dataset:
                    source: hf://datasets/acme/prefs
                    split: train
                    evalSplit: %s
                  dpo:
                    beta: 0.5
                  training:
                    batchSize: 2
                    maxLength: 64
                    maxPromptLength: 32
                """.formatted(model, evalSplit);
        return Files.writeString(root.resolve("job.yaml"), yaml);
    }

    private CliRun cli(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.out() + run.err()).doesNotContain(TOKEN);
        return run;
    }

    @Test
    void fetchDownloadsTheModelAndBothSplitsThenNeedsNoNetwork() throws Exception {
        Path job = manifest("hf://acme/tiny", "test");
        Path work = root.resolve("work");

        CliRun first = cli("fetch", "-f", job.toString(), "--work-dir", work.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        String sha = hub.model("acme/tiny").sha("main");
        assertThat(first.out()).contains("spec.model.source: hf://acme/tiny: commit " + sha.substring(0, 12)
                + ", 4 files").contains("spec.dataset.source: hf://datasets/acme/prefs: splits train, test,")
                .contains("(downloaded ").contains(work.resolve("cache/hf/models/acme/tiny/main").toString());
        Path datasetDir = work.resolve("cache/hf/datasets/acme/prefs/main");
        assertThat(datasetDir.resolve("train.jsonl")).hasBinaryContent(data.get("train.jsonl"));
        assertThat(datasetDir.resolve("test.jsonl")).hasBinaryContent(data.get("test.jsonl"));
        assertThat(datasetDir.resolve("validation.jsonl")).doesNotExist();
        assertThat(work.resolve("cache/hf/models/acme/tiny/main/pytorch_model.bin")).doesNotExist();
        assertThat(hub.requests(r -> r.server().equals("hub")))
                .allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
        hub.clearRequests();

        CliRun second = cli("fetch", "-f", job.toString(), "--work-dir", work.toString());

        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("hf://acme/tiny: commit " + sha.substring(0, 12) + ", 4 files")
                .contains("(already in the cache)");
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void evaluateFetchesHubSourcesThatAreNotInTheCacheYet() throws Exception {
        Path job = manifest("hf://acme/tiny", "test");
        Path work = root.resolve("work");

        CliRun eval = cli("evaluate", "-f", job.toString(), "--work-dir", work.toString());

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode metrics = JSON.readTree(eval.out());
        assertThat(metrics.get("loss").asDouble()).isCloseTo(Math.log(2), within(1e-6));
        JsonNode record = JSON.readTree(work.resolve("cache/hf/datasets/acme/prefs/main")
                .resolve(SnapshotRecord.FILE_NAME).toFile());
        assertThat(record.get("splits")).extracting(JsonNode::asText).containsExactly("train", "test");
        assertThat(hub.requests()).noneMatch(r -> r.path().contains("validation"));
        hub.clearRequests();

        CliRun fetch = cli("fetch", "-f", job.toString(), "--work-dir", work.toString());

        assertThat(fetch.exitCode()).isZero();
        assertThat(fetch.out()).contains("(already in the cache)");
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aSplitTheDatasetLacksIsBadInput() throws Exception {
        Path job = manifest("hf://acme/tiny", "dev");

        CliRun run = cli("fetch", "-f", job.toString(), "--work-dir", root.resolve("work").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("error: spec.dataset.source: hf://datasets/acme/prefs: no files for split "
                + "'dev'. Splits found: test, train, validation");
    }

    @Test
    void aGatedModelWithoutAccessIsBadInput() throws Exception {
        hub.model("acme/tiny").gated("hf_someone_else");
        Path job = manifest("hf://acme/tiny", "test");

        CliRun run = cli("fetch", "-f", job.toString(), "--work-dir", root.resolve("work").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("error: spec.model.source: hf://acme/tiny: access denied (HTTP 403)")
                .contains("HF_TOKEN");
    }

    @Test
    void aMissingRepositoryIsBadInput() throws Exception {
        Path job = manifest("hf://acme/missing", "test");

        CliRun run = cli("fetch", "-f", job.toString(), "--work-dir", root.resolve("work").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("error: spec.model.source: hf://acme/missing: repository not found");
    }

    @Test
    void aFailingHubIsACrashWorthRetryingWithOneClearLine() throws Exception {
        hub.fail("/revision/", 503, 10);
        Path job = manifest("hf://acme/tiny", "test");

        CliRun run = cli("fetch", "-f", job.toString(), "--work-dir", root.resolve("work").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CRASHED);
        assertThat(run.err()).startsWith("error: spec.model.source: hf://acme/tiny: the Hub failed (HTTP 503)")
                .doesNotContain("\tat ");
    }

    @Test
    void localSourcesNeedNothingFetched() throws Exception {
        TinyJob.model(root.resolve("local-model"), 1);
        Path job = manifest("local-model", "test");

        CliRun run = cli("fetch", "-f", job.toString(), "--work-dir", root.resolve("work").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("spec.model.source: local-model is not on the Hub")
                .contains("nothing to fetch").contains("spec.dataset.source: hf://datasets/acme/prefs: splits");
        assertThat(hub.requests()).noneMatch(r -> r.path().contains("/models/"));
    }
}
