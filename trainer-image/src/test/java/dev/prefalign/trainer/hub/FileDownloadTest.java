package dev.prefalign.trainer.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The parts of a download that need no server: where files may go, and which origin may see the token. */
class FileDownloadTest {
    private static final Path DIR = Path.of("/cache/hf/models/a/b/main");

    @Test
    void repositoryPathsStayInsideTheSnapshotFolder() throws Exception {
        assertThat(FileDownload.inside(DIR, "data/train-0.parquet", "s"))
                .isEqualTo(DIR.resolve("data/train-0.parquet"));
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../b", "a//b", "a\\b", ".prefalign-downloads/x",
                SnapshotRecord.FILE_NAME, ""}) {
            assertThatThrownBy(() -> FileDownload.inside(DIR, bad, "hf://a/b: file " + bad)).as(bad)
                    .isInstanceOf(HubException.class).hasMessageContaining("refusing the file path");
        }
    }

    @Test
    void partialFilesBelongToOneFileName() {
        assertThat(FileDownload.isPartialOf("model.safetensors.abc123.incomplete", "model.safetensors")).isTrue();
        assertThat(FileDownload.isPartialOf("model.safetensors.abc.incomplete", "model")).isFalse();
        assertThat(FileDownload.isPartialOf("model.incomplete", "model")).isFalse();
        assertThat(FileDownload.isPartialOf("model.x.incomplete", "model")).isTrue();
    }

    @Test
    void theTokenGoesOnlyToTheEndpointsOrigin() {
        URI hub = URI.create("https://huggingface.co");
        assertThat(HubClient.sameOrigin(URI.create("https://huggingface.co:443/api/x"), hub)).isTrue();
        assertThat(HubClient.sameOrigin(URI.create("https://HuggingFace.co/a/b/resolve/x"), hub)).isTrue();
        assertThat(HubClient.sameOrigin(URI.create("https://cdn-lfs.huggingface.co/x"), hub)).isFalse();
        assertThat(HubClient.sameOrigin(URI.create("http://huggingface.co/x"), hub)).isFalse();
        assertThat(HubClient.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub)).isFalse();
        assertThat(HubClient.encodeSegment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
        assertThat(HubClient.encodeSegment("a b")).isEqualTo("a%20b");
    }
}
