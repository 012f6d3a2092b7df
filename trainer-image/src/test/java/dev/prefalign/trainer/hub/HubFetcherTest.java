package dev.prefalign.trainer.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.data.DatasetSources;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local fake Hub: what is fetched, how it is verified and resumed, and every failure. */
class HubFetcherTest {
    static final String TOKEN = "hf_SeCrEtToKeN0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HubSource MODEL = HubSource.parse("hf://acme/tiny");
    private static final HubSource DATASET = HubSource.parse("hf://datasets/acme/prefs");

    /** The files of a tiny model as TinyModelFactory writes them (config, tokenizer, model.safetensors). */
    private static Map<String, byte[]> tinyModel;
    /** The same weights saved in shards with an index. */
    private static Map<String, byte[]> shardedModel;

    @TempDir
    static Path fixtures;

    @TempDir
    Path work;

    private FakeHub hub;
    private LogCapture logs;

    @BeforeAll
    static void writeModels() throws Exception {
        Path single = TinyJob.model(fixtures.resolve("single"), 3);
        tinyModel = FakeHub.filesOf(single);
        Path sharded = TinyJob.model(fixtures.resolve("sharded"), 3);
        List<TensorData> tensors = new ArrayList<>();
        try (ModelWeights weights = ModelWeights.open(sharded)) {
            for (String name : weights.names()) {
                tensors.add(weights.read(name));
            }
        }
        ModelWeights.save(sharded, tensors, DType.F32, 60_000);
        shardedModel = FakeHub.filesOf(sharded);
        assertThat(shardedModel).containsKey("model.safetensors.index.json").doesNotContainKey("model.safetensors");
    }

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        logs = new LogCapture();
    }

    @AfterEach
    void stop() {
        logs.close();
        hub.close();
        assertThat(logs.lines()).as("log lines").noneMatch(line -> line.contains(TOKEN));
    }

    private HubFetcher fetcher(String token) {
        return fetcher(token, 3);
    }

    private HubFetcher fetcher(String token, int attempts) {
        HubSettings settings = HubSettings.of(hub.endpoint(), token)
                .withRetries(attempts, Duration.ofMillis(1), Duration.ofMillis(5))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
        return new HubFetcher(new HubClient(settings));
    }

    private Path cache() {
        return work.resolve("cache");
    }

    private FakeHub.Repo modelRepo(Map<String, byte[]> model) {
        Map<String, byte[]> files = new LinkedHashMap<>(model);
        files.put("generation_config.json", "{\"bos_token_id\": 1}".getBytes(StandardCharsets.UTF_8));
        files.put("special_tokens_map.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("pytorch_model.bin", random(5000, 1));
        files.put("onnx/model.onnx", random(3000, 2));
        files.put("original/model.safetensors", random(3000, 3));
        files.put("README.md", "# tiny".getBytes(StandardCharsets.UTF_8));
        files.put(".gitattributes", "*.safetensors filter=lfs".getBytes(StandardCharsets.UTF_8));
        FakeHub.Repo repo = hub.model("acme/tiny");
        repo.commit("main", files);
        return repo;
    }

    private static byte[] random(int size, long seed) {
        byte[] out = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static HubException failure(Callable<?> call) {
        try {
            call.call();
        } catch (HubException e) {
            assertThat(e.getMessage()).doesNotContain(TOKEN);
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a HubException, got " + e, e);
        }
        throw new AssertionError("expected a HubException, the call succeeded");
    }

    private static List<String> partialFiles(Path dir) throws Exception {
        Path partial = dir.resolve(FileDownload.SCRATCH_DIR).resolve("partial");
        if (!Files.isDirectory(partial)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(partial)) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    // --- what is fetched ---------------------------------------------------------------------------------------------

    @Test
    void modelBringsOnlyWhatTheTrainerReadsPinnedToOneCommit() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        String sha = repo.sha("main");

        FetchResult result = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        Path dir = cache().resolve("hf/models/acme/tiny/main");
        assertThat(result.dir()).isEqualTo(dir);
        assertThat(result.origin()).isEqualTo(FetchResult.Origin.DOWNLOADED);
        assertThat(result.commit()).isEqualTo(sha);
        List<String> expected = List.of("config.json", "generation_config.json", "model.safetensors",
                "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json");
        assertThat(result.files()).extracting(SnapshotRecord.FileEntry::path)
                .containsExactlyInAnyOrderElementsOf(expected);
        Map<String, byte[]> onDisk = FakeHub.filesOf(dir);
        onDisk.keySet().removeIf(path -> path.startsWith("."));
        assertThat(onDisk.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (String file : expected) {
            assertThat(onDisk.get(file)).as(file).isEqualTo(repo.commits.get(sha).get(file));
        }
        assertThat(result.bytesDownloaded()).isEqualTo(result.totalBytes());

        // Pinned: the revision API once, every file from the commit sha, nothing of the other formats asked for.
        List<FakeHub.Request> revisionCalls = hub.requests(r -> r.path().contains("/revision/"));
        assertThat(revisionCalls).extracting(FakeHub.Request::path)
                .containsExactly("/api/models/acme/tiny/revision/main");
        assertThat(hub.requests(r -> r.path().contains("/resolve/"))).isNotEmpty()
                .allMatch(r -> r.path().contains("/resolve/" + sha + "/"));
        assertThat(hub.requests()).noneMatch(r -> r.path().contains(".bin") || r.path().contains("onnx")
                || r.path().contains("README") || r.path().contains("original/"));

        // LFS bytes came from the CDN, which never saw the token; the Hub got it on every request.
        assertThat(hub.requests(r -> r.server().equals("cdn"))).isNotEmpty()
                .allMatch(r -> r.authorization() == null);
        assertThat(hub.requests(r -> r.server().equals("hub")))
                .allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));

        // The completion record: commit, sizes, and the hash each file was verified against.
        JsonNode record = JSON.readTree(dir.resolve(SnapshotRecord.FILE_NAME).toFile());
        assertThat(record.get("commit").asText()).isEqualTo(sha);
        assertThat(record.get("source").asText()).isEqualTo("hf://acme/tiny");
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        record.get("files").forEach(f -> entries.put(f.get("path").asText(), f));
        byte[] weights = repo.commits.get(sha).get("model.safetensors");
        assertThat(entries.get("model.safetensors").get("hash").asText())
                .isEqualTo("sha256:" + FakeHub.sha256Hex(weights));
        assertThat(entries.get("model.safetensors").get("size").asLong()).isEqualTo(weights.length);
        assertThat(entries.get("config.json").get("hash").asText())
                .isEqualTo("git-sha1:" + FakeHub.gitBlobSha1(repo.commits.get(sha).get("config.json")));
        assertThat(partialFiles(dir)).isEmpty();
    }

    @Test
    void shardedCheckpointBringsTheIndexAndOnlyTheShardsItNames() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(shardedModel);
        // Some repositories also carry a consolidated copy of the same weights: never wanted.
        files.put("consolidated.safetensors", random(4000, 9));
        FakeHub.Repo repo = hub.model("acme/tiny");
        String sha = repo.commit("main", files);

        FetchResult result = fetcher(null).fetch(MODEL, cache(), List.of());

        List<String> shards = shardedModel.keySet().stream()
                .filter(f -> f.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).toList();
        assertThat(shards).hasSizeGreaterThan(1);
        assertThat(result.files()).extracting(SnapshotRecord.FileEntry::path)
                .contains("model.safetensors.index.json").containsAll(shards)
                .doesNotContain("consolidated.safetensors");
        assertThat(hub.requests()).noneMatch(r -> r.path().contains("consolidated"));
        assertThat(TinyJob.weights(result.dir())).isNotEmpty();
        assertThat(result.commit()).isEqualTo(sha);
    }

    @Test
    void datasetBringsOnlyTheRequestedSplitsAndStaysOnItsCommit() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("data/train-00000-of-00002.parquet", random(2000, 1));
        files.put("data/train-00001-of-00002.parquet", random(2100, 2));
        files.put("data/train_prefs-00000-of-00001.parquet", random(2200, 3));
        files.put("data/test-00000-of-00001.parquet", random(900, 4));
        files.put("train.jsonl", text("{\"prompt\": \"the same rows as JSON\"}\n"));
        files.put("dataset_infos.json", text("{}"));
        files.put("README.md", text("# prefs"));
        FakeHub.Repo repo = hub.dataset("acme/prefs");
        String first = repo.commit("main", files);

        FetchResult train = fetcher(TOKEN).fetch(DATASET, cache(), List.of("train"));

        Path dir = cache().resolve("hf/datasets/acme/prefs/main");
        assertThat(train.dir()).isEqualTo(dir);
        assertThat(train.splits()).containsExactly("train");
        // Parquet preferred over the JSON copy of the same split; no other split, no README.
        assertThat(train.files()).extracting(SnapshotRecord.FileEntry::path)
                .containsExactly("data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet");
        assertThat(hub.requests(r -> r.path().contains("/revision/"))).extracting(FakeHub.Request::path)
                .containsExactly("/api/datasets/acme/prefs/revision/main");
        assertThat(hub.requests(r -> r.path().contains("/resolve/")))
                .allMatch(r -> r.path().startsWith("/datasets/acme/prefs/resolve/" + first + "/"));

        // main moves on; asking for one more split keeps the folder on the commit it holds.
        Map<String, byte[]> moved = new LinkedHashMap<>(files);
        moved.put("data/test-00000-of-00001.parquet", random(950, 5));
        repo.commit("main", moved);
        hub.clearRequests();

        FetchResult both = fetcher(TOKEN).fetch(DATASET, cache(), List.of("train", "test"));

        assertThat(both.commit()).isEqualTo(first);
        assertThat(both.splits()).containsExactly("train", "test");
        assertThat(hub.requests(r -> r.path().contains("/revision/"))).extracting(FakeHub.Request::path)
                .containsExactly("/api/datasets/acme/prefs/revision/" + first);
        assertThat(hub.bytesSent("train-0000")).as("train files already there").isZero();
        assertThat(Files.readAllBytes(dir.resolve("data/test-00000-of-00001.parquet")))
                .isEqualTo(files.get("data/test-00000-of-00001.parquet"));
        assertThat(DatasetSources.resolve(dir, "test"))
                .containsExactly(dir.resolve("data/test-00000-of-00001.parquet"));
        assertThat(DatasetSources.resolve(dir, "train")).hasSize(2);

        hub.clearRequests();
        assertThat(fetcher(TOKEN).fetch(DATASET, cache(), List.of("test")).origin())
                .isEqualTo(FetchResult.Origin.CACHED);
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void jsonLinesWhenThatIsWhatTheRepositoryHas() throws Exception {
        hub.dataset("acme/prefs").commit("main", Map.of(
                "train.jsonl", text("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n"),
                "test.jsonl", text("{\"prompt\": \"x\", \"chosen\": \"y\", \"rejected\": \"z\"}\n")));

        FetchResult result = fetcher(null).fetch(DATASET, cache(), List.of("train"));

        assertThat(result.files()).extracting(SnapshotRecord.FileEntry::path).containsExactly("train.jsonl");
        assertThat(result.files().get(0).hash()).startsWith("git-sha1:");
    }

    @Test
    void aSplitMissingFromTheRepositoryComesFromTheHubsParquetConversion() throws Exception {
        byte[] converted = random(1500, 7);
        hub.dataset("acme/prefs").convertedSplit("train", converted).commit("main", Map.of(
                "prefs.py", text("# a loading script"), "README.md", text("# prefs")));

        FetchResult result = fetcher(null).fetch(DATASET, cache(), List.of("train"));

        Path file = result.dir().resolve("default/train/0.parquet");
        assertThat(Files.readAllBytes(file)).isEqualTo(converted);
        assertThat(result.notes()).singleElement().asString().contains("auto-converted Parquet");
        assertThat(logs.anyContains("auto-converted Parquet files (config 'default', 1 file(s))")).isTrue();
        assertThat(DatasetSources.resolve(result.dir(), "train")).containsExactly(file);
        assertThat(result.files().get(0).url()).contains("/parquet/default/train/0.parquet");

        // A lost converted file comes back from the recorded URL.
        Files.delete(file);
        hub.clearRequests();
        FetchResult again = fetcher(null).fetch(DATASET, cache(), List.of("train"));
        assertThat(again.origin()).isEqualTo(FetchResult.Origin.DOWNLOADED);
        assertThat(Files.readAllBytes(file)).isEqualTo(converted);
        assertThat(hub.requests()).noneMatch(r -> r.path().contains("/revision/"));
    }

    @Test
    void aSplitFoundNowhereListsTheSplitsThereAre() {
        hub.dataset("acme/prefs").commit("main", Map.of(
                "data/train-00000-of-00001.parquet", random(100, 1),
                "data/test-00000-of-00001.parquet", random(100, 2)));

        HubException e = failure(() -> fetcher(TOKEN).fetch(DATASET, cache(), List.of("validation")));

        assertThat(e.kind()).isEqualTo(HubException.Kind.NO_SUCH_SPLIT);
        assertThat(e.badInput()).isTrue();
        assertThat(e.getMessage()).contains("hf://datasets/acme/prefs: no files for split 'validation'")
                .contains("Splits found: test, train")
                .contains("Parquet conversion has no split 'validation' in config 'default'");
        assertThat(Files.exists(cache().resolve("hf/datasets/acme/prefs/main").resolve(SnapshotRecord.FILE_NAME)))
                .isFalse();
    }

    // --- the cache --------------------------------------------------------------------------------------------------

    @Test
    void aSecondRunFindsTheRecordAndMakesNoRequest() throws Exception {
        modelRepo(tinyModel);
        FetchResult first = fetcher(TOKEN).fetch(MODEL, cache(), List.of());
        hub.clearRequests();

        FetchResult second = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        assertThat(hub.requests()).isEmpty();
        assertThat(second.origin()).isEqualTo(FetchResult.Origin.CACHED);
        assertThat(second.bytesDownloaded()).isZero();
        assertThat(second.files()).isEqualTo(first.files());
        assertThat(second.commit()).isEqualTo(first.commit());
    }

    @Test
    void missingOrResizedFilesAreDownloadedAgainFromTheRecordedCommit() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        String sha = repo.sha("main");
        Path dir = fetcher(TOKEN).fetch(MODEL, cache(), List.of()).dir();
        Files.delete(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{}");
        repo.commit("main", Map.of("config.json", text("{\"moved\": true}")));
        hub.clearRequests();

        FetchResult repaired = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        assertThat(repaired.origin()).isEqualTo(FetchResult.Origin.DOWNLOADED);
        assertThat(repaired.commit()).isEqualTo(sha);
        assertThat(hub.requests()).noneMatch(r -> r.path().contains("/revision/"));
        assertThat(hub.requests(r -> r.method().equals("GET"))).extracting(FakeHub.Request::path)
                .containsExactlyInAnyOrder("/acme/tiny/resolve/" + sha + "/tokenizer.json",
                        "/acme/tiny/resolve/" + sha + "/config.json");
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(tinyModel.get("config.json"));
        assertThat(Files.readAllBytes(dir.resolve("tokenizer.json"))).isEqualTo(tinyModel.get("tokenizer.json"));
        assertThat(logs.anyContains("2 file(s) of the snapshot are missing or have another size")).isTrue();
    }

    @Test
    void aFolderPlacedByHandIsUsedAsItIsWithoutRequests() throws Exception {
        Path dir = cache().resolve("hf/models/acme/tiny/main");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{}");

        FetchResult result = fetcher(null).fetch(MODEL, cache(), List.of());

        assertThat(result.origin()).isEqualTo(FetchResult.Origin.PLACED_BY_HAND);
        assertThat(result.dir()).isEqualTo(dir);
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void offlineUsesACompleteSnapshotAndRefusesToDownload() throws Exception {
        modelRepo(tinyModel);
        HubFetcher offline = new HubFetcher(new HubClient(HubSettings.of(hub.endpoint(), null).withOffline(true)));

        HubException e = failure(() -> offline.fetch(MODEL, cache(), List.of()));
        assertThat(e.kind()).isEqualTo(HubException.Kind.OFFLINE);
        assertThat(e.getMessage()).contains("hf://acme/tiny is not complete in the cache").contains("HF_HUB_OFFLINE");
        assertThat(hub.requests()).isEmpty();

        fetcher(null).fetch(MODEL, cache(), List.of());
        hub.clearRequests();
        assertThat(offline.fetch(MODEL, cache(), List.of()).origin()).isEqualTo(FetchResult.Origin.CACHED);
        assertThat(hub.requests()).isEmpty();
    }

    // --- resume and the lock --------------------------------------------------------------------------------------

    @Test
    void aCutDownloadResumesWithARangeRequest() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        byte[] weights = repo.commits.get(repo.sha("main")).get("model.safetensors");
        hub.truncate("model.safetensors", 1000, 1);

        FetchResult result = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        assertThat(Files.readAllBytes(result.dir().resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.bytesSent("model.safetensors")).as("no byte sent twice").isEqualTo(weights.length);
        assertThat(hub.requests(r -> r.server().equals("cdn") && r.method().equals("GET")))
                .extracting(FakeHub.Request::range).containsExactly(null, "bytes=1000-");
        assertThat(logs.anyContains("resuming at byte 1000")).isTrue();
    }

    @Test
    void aPartialDownloadLeftByAnEarlierRunIsResumed() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        byte[] weights = repo.commits.get(repo.sha("main")).get("model.safetensors");
        hub.truncate("model.safetensors", 1000, 1);

        HubException cut = failure(() -> fetcher(TOKEN, 1).fetch(MODEL, cache(), List.of()));
        assertThat(cut.kind()).isEqualTo(HubException.Kind.TRUNCATED);
        assertThat(cut.getMessage()).contains("hf://acme/tiny: file model.safetensors")
                .contains("stopped at 1000 of " + weights.length + " bytes");
        Path dir = cache().resolve("hf/models/acme/tiny/main");
        assertThat(partialFiles(dir))
                .containsExactly("model.safetensors." + FakeHub.sha256Hex(weights) + ".incomplete");
        assertThat(dir.resolve(SnapshotRecord.FILE_NAME)).doesNotExist();

        FetchResult result = fetcher(TOKEN, 1).fetch(MODEL, cache(), List.of());

        assertThat(Files.readAllBytes(result.dir().resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.bytesSent("model.safetensors")).isEqualTo(weights.length);
        assertThat(partialFiles(dir)).isEmpty();
    }

    @Test
    void aServerThatIgnoresRangeRestartsTheFileCleanly() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        byte[] weights = repo.commits.get(repo.sha("main")).get("model.safetensors");
        hub.truncate("model.safetensors", 1000, 1);
        hub.ignoreRange(true);

        FetchResult result = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        assertThat(Files.readAllBytes(result.dir().resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.bytesSent("model.safetensors")).isEqualTo(1000L + weights.length);
        assertThat(logs.anyContains("ignored the resume request")).isTrue();
    }

    @Test
    void twoFetchersOfTheSameFilesDownloadEachFileOnce() throws Exception {
        modelRepo(tinyModel);
        hub.delayBodies(300);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<FetchResult> a = pool.submit(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));
            Future<FetchResult> b = pool.submit(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));
            FetchResult first = a.get();
            FetchResult second = b.get();
            assertThat(first.files()).containsExactlyInAnyOrderElementsOf(second.files());
            assertThat(first.bytesDownloaded() + second.bytesDownloaded()).isEqualTo(first.totalBytes());
        } finally {
            pool.shutdownNow();
        }
        for (String file : List.of("model.safetensors", "config.json", "tokenizer.json")) {
            // LFS bytes come from the CDN, plain files from the resolve endpoint.
            List<FakeHub.Request> gets = file.endsWith(".safetensors")
                    ? hub.requests(r -> r.server().equals("cdn") && r.method().equals("GET"))
                    : hub.requests(r -> r.method().equals("GET") && r.path().endsWith("/" + file));
            assertThat(gets).as(file).hasSize(1);
        }
        Map<String, byte[]> onDisk = FakeHub.filesOf(cache().resolve("hf/models/acme/tiny/main"));
        assertThat(onDisk.get("model.safetensors")).isEqualTo(tinyModel.get("model.safetensors"));
    }

    @Test
    void anotherProcessWaitsForTheLockAndFindsTheFileComplete() throws Exception {
        modelRepo(tinyModel);
        hub.delayBodies(700);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FetchMain.class.getName(), hub.endpoint(), cache().toString(), MODEL.uri())
                .redirectErrorStream(true).start();
        try {
            // Wait until the other process is inside the download of the first file, holding its lock.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (hub.requests(r -> r.method().equals("GET") && r.path().contains("/resolve/")).isEmpty()) {
                assertThat(other.isAlive()).as("the other process is running").isTrue();
                assertThat(System.nanoTime()).as("the other process started downloading").isLessThan(deadline);
                Thread.sleep(20);
            }

            FetchResult here = fetcher(null).fetch(MODEL, cache(), List.of());

            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor()).as(output).isZero();
            assertThat(output).contains("bytes ");
            assertThat(Files.readAllBytes(here.dir().resolve("model.safetensors")))
                    .isEqualTo(tinyModel.get("model.safetensors"));
        } finally {
            other.destroy();
        }
        assertThat(hub.requests(r -> r.method().equals("GET") && r.path().endsWith("/config.json"))).hasSize(1);
        assertThat(hub.requests(r -> r.server().equals("cdn") && r.method().equals("GET"))).hasSize(1);
        assertThat(logs.anyContains("waiting for another process that downloads hf://acme/tiny: file config.json"))
                .isTrue();
    }

    @Test
    void withoutSplitsEveryDataFileIsFetched() throws Exception {
        hub.dataset("acme/prefs").commit("main", Map.of(
                "data/train-00000-of-00001.parquet", random(300, 1),
                "data/test-00000-of-00001.parquet", random(200, 2),
                "test.jsonl", text("{}\n"),
                "extra/notes.jsonl", text("{}\n"),
                "README.md", text("# prefs")));

        FetchResult all = fetcher(null).fetch(DATASET, cache(), List.of());

        assertThat(all.files()).extracting(SnapshotRecord.FileEntry::path).containsExactly(
                "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet", "extra/notes.jsonl");
        hub.clearRequests();
        assertThat(fetcher(null).fetch(DATASET, cache(), List.of("train", "test")).origin())
                .isEqualTo(FetchResult.Origin.CACHED);
        assertThat(hub.requests()).isEmpty();
    }

    // --- failures ---------------------------------------------------------------------------------------------------

    @Test
    void aGatedRepositoryWithoutATokenSaysWhatIsNeeded() {
        modelRepo(tinyModel).gated(TOKEN);

        HubException e = failure(() -> fetcher(null).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED);
        assertThat(e.badInput()).isTrue();
        assertThat(e.getMessage()).startsWith("hf://acme/tiny: access denied (HTTP 401)")
                .contains("gated or private").contains("HF_TOKEN").contains("spec.model.tokenSecretRef")
                .contains("No token was sent");
        assertThat(hub.requests(r -> r.path().contains("/revision/"))).as("no retry of a 4xx").hasSize(1);
    }

    @Test
    void aTokenWithoutAccessIsReportedWithoutShowingIt() {
        modelRepo(tinyModel).gated("hf_the_right_one");

        HubException e = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));

        assertThat(e.getMessage()).contains("access denied (HTTP 403)").contains("A token was sent")
                .doesNotContain(TOKEN);
        assertThat(hub.requests()).allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
    }

    @Test
    void theRightTokenOpensAGatedRepository() throws Exception {
        modelRepo(tinyModel).gated(TOKEN);

        assertThat(fetcher(TOKEN).fetch(MODEL, cache(), List.of()).origin())
                .isEqualTo(FetchResult.Origin.DOWNLOADED);
    }

    @Test
    void notFoundNamesTheRepositoryTheRevisionOrTheFile() {
        modelRepo(tinyModel);

        HubException repo = failure(() -> fetcher(TOKEN).fetch(HubSource.parse("hf://acme/nope"), cache(),
                List.of()));
        assertThat(repo.kind()).isEqualTo(HubException.Kind.NOT_FOUND);
        assertThat(repo.getMessage()).startsWith("hf://acme/nope: repository not found");

        HubException revision = failure(() -> fetcher(TOKEN).fetch(HubSource.parse("hf://acme/tiny@v9"), cache(),
                List.of()));
        assertThat(revision.getMessage()).startsWith("hf://acme/tiny@v9: revision not found");

        hub.fail("tokenizer.json", 404, 1);
        HubException file = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));
        assertThat(file.getMessage()).startsWith("hf://acme/tiny: file tokenizer.json: file not found");
        assertThat(file.badInput()).isTrue();
    }

    @Test
    void serverErrorsAreRetriedAFewTimesThenReported() throws Exception {
        modelRepo(tinyModel);
        hub.fail("/revision/", 500, 100);

        HubException e = failure(() -> fetcher(TOKEN, 3).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.SERVER_ERROR);
        assertThat(e.badInput()).isFalse();
        assertThat(e.getMessage()).startsWith("hf://acme/tiny: the Hub failed (HTTP 500)")
                .endsWith("(gave up after 3 attempts)");
        assertThat(hub.requests(r -> r.path().contains("/revision/"))).hasSize(3);
        assertThat(logs.anyContains("attempt 1 of 3, trying again")).isTrue();

        hub.fail("/revision/", 503, 2);
        hub.fail("config.json", 502, 1);
        assertThat(fetcher(TOKEN, 3).fetch(MODEL, cache(), List.of()).origin())
                .isEqualTo(FetchResult.Origin.DOWNLOADED);
    }

    @Test
    void aBodyThatKeepsEndingEarlyIsReportedAsTruncated() {
        FakeHub.Repo repo = modelRepo(tinyModel);
        int size = repo.commits.get(repo.sha("main")).get("model.safetensors").length;
        hub.truncate("model.safetensors", 1000, 100);

        HubException e = failure(() -> fetcher(TOKEN, 3).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.TRUNCATED);
        assertThat(e.getMessage()).isEqualTo("hf://acme/tiny: file model.safetensors: the download stopped at 1000 of "
                + size + " bytes (truncated body) (gave up after 3 attempts)");
    }

    @Test
    void moreBytesThanAnnouncedIsASizeMismatch() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        int size = repo.commits.get(repo.sha("main")).get("model.safetensors").length;
        hub.understateSize("model.safetensors");

        HubException e = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.SIZE_MISMATCH);
        assertThat(e.getMessage()).isEqualTo("hf://acme/tiny: file model.safetensors: received " + size
                + " bytes, but the Hub announced " + (size - 1) + "; the partial file was deleted, run again");
        assertThat(partialFiles(cache().resolve("hf/models/acme/tiny/main"))).isEmpty();
    }

    @Test
    void corruptedBytesFailTheChecksumOfLfsAndGitFiles() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        byte[] weights = repo.commits.get(repo.sha("main")).get("model.safetensors");
        hub.corrupt("model.safetensors");

        HubException lfs = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));

        assertThat(lfs.kind()).isEqualTo(HubException.Kind.CHECKSUM_MISMATCH);
        assertThat(lfs.getMessage()).startsWith("hf://acme/tiny: file model.safetensors: checksum mismatch: the sha256")
                .contains("the Hub's ETag says " + FakeHub.sha256Hex(weights)).contains("The download was deleted");
        Path dir = cache().resolve("hf/models/acme/tiny/main");
        assertThat(dir.resolve("model.safetensors")).doesNotExist();
        assertThat(partialFiles(dir)).isEmpty();

        // A fresh cache: the first attempt left the verified config.json in place.
        hub.corrupt("/config.json");
        HubException git = failure(() -> fetcher(TOKEN).fetch(MODEL, work.resolve("other-cache"), List.of()));
        assertThat(git.getMessage()).startsWith("hf://acme/tiny: file config.json: checksum mismatch: the git blob "
                + "sha1");
    }

    @Test
    void filesServedFromAnotherCommitThanTheResolvedOneAreRefused() {
        FakeHub.Repo repo = modelRepo(tinyModel);
        String resolved = repo.sha("main");
        String other = "0123456789abcdef0123456789abcdef01234567";
        hub.serveCommit(other);

        HubException e = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.REVISION_CHANGED);
        assertThat(e.getMessage()).startsWith("hf://acme/tiny: file config.json: the revision moved during the "
                + "download: it resolved to commit " + resolved + ", but the Hub serves the file from commit " + other);
    }

    @Test
    void aFileWhoseEtagChangesAfterItsMetadataIsRefused() {
        FakeHub.Repo repo = modelRepo(tinyModel);
        String etag = FakeHub.gitBlobSha1(repo.commits.get(repo.sha("main")).get("config.json"));
        hub.etagOnGet("1111111111111111111111111111111111111111");

        HubException e = failure(() -> fetcher(TOKEN).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.REVISION_CHANGED);
        assertThat(e.getMessage()).isEqualTo("hf://acme/tiny: file config.json: the file changed while it was being "
                + "downloaded (ETag " + etag + " became 1111111111111111111111111111111111111111); run again");
    }

    @Test
    void aRefusedCdnLinkIsReplacedByAFreshOne() throws Exception {
        FakeHub.Repo repo = modelRepo(tinyModel);
        hub.fail("/cdn/", 403, 1);

        FetchResult result = fetcher(TOKEN).fetch(MODEL, cache(), List.of());

        assertThat(Files.readAllBytes(result.dir().resolve("model.safetensors")))
                .isEqualTo(repo.commits.get(repo.sha("main")).get("model.safetensors"));
        assertThat(hub.requests(r -> r.method().equals("HEAD") && r.path().endsWith("/model.safetensors")))
                .as("metadata asked again for a new link").hasSize(2);
        assertThat(logs.anyContains("refused the download link (HTTP 403; signed links expire)")).isTrue();
    }

    @Test
    void anUnreachableHubIsANetworkErrorWorthRetryingLater() {
        HubSettings settings = HubSettings.of("http://127.0.0.1:1", TOKEN)
                .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2));

        HubException e = failure(() -> new HubFetcher(new HubClient(settings)).fetch(MODEL, cache(), List.of()));

        assertThat(e.kind()).isEqualTo(HubException.Kind.NETWORK);
        assertThat(e.badInput()).isFalse();
        assertThat(e.getMessage()).startsWith("hf://acme/tiny: cannot connect").contains("HF_ENDPOINT")
                .endsWith("(gave up after 2 attempts)");
    }
}
