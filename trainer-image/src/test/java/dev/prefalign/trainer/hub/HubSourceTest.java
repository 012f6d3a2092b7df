package dev.prefalign.trainer.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.trainer.job.HubCachePaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HubSourceTest {
    private static final Path CACHE = Path.of("/work/cache");

    @Test
    void modelsDatasetsAndRevisions() {
        HubSource model = HubSource.parse("hf://HuggingFaceTB/SmolLM2-135M-Instruct");
        assertThat(model.type()).isEqualTo(RepoType.MODEL);
        assertThat(model.repoId()).isEqualTo("HuggingFaceTB/SmolLM2-135M-Instruct");
        assertThat(model.revision()).isNull();
        assertThat(model.revisionOrDefault()).isEqualTo("main");

        HubSource dataset = HubSource.parse("hf://datasets/trl-lib/ultrafeedback_binarized@v1.0");
        assertThat(dataset.type()).isEqualTo(RepoType.DATASET);
        assertThat(dataset.repoId()).isEqualTo("trl-lib/ultrafeedback_binarized");
        assertThat(dataset.revision()).isEqualTo("v1.0");
        assertThat(dataset.uri()).isEqualTo("hf://datasets/trl-lib/ultrafeedback_binarized@v1.0");

        assertThat(HubSource.parse("hf://gpt2").repoId()).as("old models have no owner").isEqualTo("gpt2");
        assertThat(HubSource.parse("hf://a/b@refs/pr/1").revision()).isEqualTo("refs/pr/1");
    }

    @Test
    void theSnapshotFolderIsTheOneTheTrainerReads() {
        assertThat(HubSource.parse("hf://acme/tiny").snapshotDir(CACHE))
                .isEqualTo(Path.of("/work/cache/hf/models/acme/tiny/main"));
        assertThat(HubSource.parse("hf://datasets/acme/prefs@abc").snapshotDir(CACHE))
                .isEqualTo(Path.of("/work/cache/hf/datasets/acme/prefs/abc"));
        for (String source : new String[] {"hf://acme/tiny", "hf://acme/tiny@main", "hf://datasets/a/b@refs/pr/2"}) {
            assertThat(HubCachePaths.snapshot(CACHE, source)).isEqualTo(HubSource.parse(source).snapshotDir(CACHE));
        }
    }

    @Test
    void invalidSourcesSayWhatIsWrong() {
        assertThatThrownBy(() -> HubSource.parse("hf://")).hasMessageContaining("is not a Hub repository id");
        assertThatThrownBy(() -> HubSource.parse("hf://datasets/")).hasMessageContaining("hf://datasets/trl-lib/");
        assertThatThrownBy(() -> HubSource.parse("hf://a/b/c")).hasMessageContaining("'a/b/c' is not a Hub");
        assertThatThrownBy(() -> HubSource.parse("hf://../etc")).hasMessageContaining("is not a Hub repository id");
        assertThatThrownBy(() -> HubSource.parse("hf://a/b@")).hasMessageContaining("names no revision");
        assertThatThrownBy(() -> HubSource.parse("hf://a/b@../../x")).hasMessageContaining("is not a revision");
        assertThatThrownBy(() -> HubSource.parse("s3://a/b")).hasMessageContaining("is not an hf:// source");
    }
}
