package dev.prefalign.trainer.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashTest {
    /** {@code printf 'hello\n' | git hash-object --stdin} and {@code sha256sum}. */
    private static final String HELLO_GIT = "ce013625030ba8dba906f756967f9e9ca394464a";
    private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path dir;

    @Test
    void etagsNameTheHashByTheirLength() {
        assertThat(FileHash.fromEtag("\"" + HELLO_SHA256 + "\"")).contains(new FileHash.Sha256(HELLO_SHA256));
        assertThat(FileHash.fromEtag("W/\"" + HELLO_GIT + "\"")).contains(new FileHash.GitBlobSha1(HELLO_GIT));
        assertThat(FileHash.fromEtag(HELLO_GIT.toUpperCase())).contains(new FileHash.GitBlobSha1(HELLO_GIT));
        assertThat(FileHash.fromEtag("\"cdn-1234\"")).isEmpty();
        assertThat(FileHash.fromEtag(null)).isEmpty();
        assertThat(FileHash.normalizeEtag(" W/\"abc\" ")).isEqualTo("abc");
    }

    @Test
    void gitBlobSha1AndSha256OfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");

        assertThat(new FileHash.GitBlobSha1(HELLO_GIT).matches(file)).isTrue();
        assertThat(new FileHash.Sha256(HELLO_SHA256).matches(file)).isTrue();
        assertThat(FileHash.sha256Of(file).hex()).isEqualTo(HELLO_SHA256);
        Files.writeString(file, "hello!\n");
        assertThat(new FileHash.GitBlobSha1(HELLO_GIT).matches(file)).isFalse();
    }

    @Test
    void labelsRoundTrip() {
        FileHash git = new FileHash.GitBlobSha1(HELLO_GIT);
        FileHash sha = new FileHash.Sha256(HELLO_SHA256);
        assertThat(git.label()).isEqualTo("git-sha1:" + HELLO_GIT);
        assertThat(FileHash.fromLabel(git.label())).contains(git);
        assertThat(FileHash.fromLabel(sha.label())).contains(sha);
        assertThat(FileHash.fromLabel("md5:x")).isEmpty();
    }
}
