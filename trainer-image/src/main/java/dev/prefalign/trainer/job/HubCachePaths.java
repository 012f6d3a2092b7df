package dev.prefalign.trainer.job;

import dev.prefalign.trainer.hub.HubSource;
import java.nio.file.Path;

/**
 * Where a {@code hf://} source lives in the work dir's cache: {@code cache/hf/<models|datasets>/<owner>/<name>/<rev>},
 * one folder per repository and revision ({@code main} when none is pinned). The downloader fills exactly this folder.
 */
public final class HubCachePaths {
    private HubCachePaths() {
    }

    /** @throws IllegalArgumentException when the source is not a valid {@code hf://} URI */
    public static Path snapshot(Path cacheDir, String source) {
        return HubSource.parse(source).snapshotDir(cacheDir);
    }
}
