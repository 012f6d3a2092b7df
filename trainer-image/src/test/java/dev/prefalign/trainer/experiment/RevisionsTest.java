package dev.prefalign.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.trainer.hub.HubSource;
import dev.prefalign.trainer.hub.SnapshotRecord;
import dev.prefalign.trainer.job.SourceLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run records as the revision of each source. */
class RevisionsTest {

    @Test
    void aHubSourceIsItsDownloadedCommit(@TempDir Path dir) throws Exception {
        SourceLocations sources = SourceLocations.of(dir, dir.resolve("work"));
        String source = "hf://HuggingFaceTB/SmolLM2-135M-Instruct";
        Path snapshot = HubSource.parse(source).snapshotDir(sources.cacheDir());
        Files.createDirectories(snapshot);
        String sha = "0123456789abcdef0123456789abcdef01234567";
        new SnapshotRecord(source, sha, List.of(), false, List.of(), List.of(), "2025-01-01T00:00:00Z")
                .write(snapshot);

        assertThat(Revisions.of(source, sources).revision()).isEqualTo("hf commit " + sha);
        assertThat(Revisions.of("hf://datasets/trl-lib/ultrafeedback_binarized", sources).revision())
                .isEqualTo("unknown: not downloaded");
    }

    @Test
    void aLocalFolderIsItsConfigAndFileListAndAFileItsBytes(@TempDir Path dir) throws Exception {
        SourceLocations sources = SourceLocations.of(dir, dir.resolve("work"));
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 32}");
        Files.write(model.resolve("model.safetensors"), new byte[100]);
        Files.createDirectories(model.resolve(".prefalign-downloads"));
        Files.writeString(model.resolve(".prefalign-downloads/partial"), "ignored bookkeeping");
        String before = Revisions.of("./model", sources).revision();
        assertThat(before).matches("sha256:[0-9a-f]{64} of config.json and the names and sizes of 2 files");

        Files.writeString(model.resolve(".prefalign-downloads/partial"), "still ignored, longer than before");
        assertThat(Revisions.of("./model", sources).revision()).isEqualTo(before);
        Files.write(model.resolve("model.safetensors"), new byte[101]);
        assertThat(Revisions.of("./model", sources).revision()).isNotEqualTo(before);
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 64}");
        assertThat(Revisions.of("./model", sources).revision()).isNotEqualTo(before);

        Files.writeString(dir.resolve("pairs.jsonl"), "{}\n");
        assertThat(Revisions.of("pairs.jsonl", sources).revision())
                .isEqualTo("sha256:ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356 of the file");
        assertThat(Revisions.of("./missing", sources).revision()).startsWith("unknown: ").endsWith("does not exist");
    }

    @Test
    void theCodeVersionIsNeverBlank() {
        assertThat(CodeVersion.current()).isNotBlank();
    }
}
