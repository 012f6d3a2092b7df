package dev.prefalign.trainer.job;

import java.nio.file.Path;

/**
 * Where a {@code hf://} source lives in the work dir's cache: {@code cache/hf/<models|datasets>/<owner>/<name>/<rev>},
 * one folder per repository and revision ({@code main} when none is pinned).
 */
public final class HubCachePaths {
    private HubCachePaths() {
    }

    public static Path snapshot(Path cacheDir, String source) {
        String rest = source.substring("hf://".length());
        String kind = "models";
        if (rest.startsWith("datasets/")) {
            kind = "datasets";
            rest = rest.substring("datasets/".length());
        }
        String revision = "main";
        int at = rest.indexOf('@');
        if (at >= 0) {
            revision = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        return cacheDir.resolve("hf").resolve(kind).resolve(rest).resolve(revision);
    }
}
