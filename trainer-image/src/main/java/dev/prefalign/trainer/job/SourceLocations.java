package dev.prefalign.trainer.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps a manifest's source URI to a local path. Local paths are relative to the manifest's folder, so a manifest runs
 * the same from any working directory. {@code pvc://<claim>/<path>} is where the operator mounts other claims
 * ({@code $PREFALIGN_PVC_ROOT}, default {@code /mnt/pvc}); {@code hf://} sources are looked up in the work dir's
 * download cache.
 */
public record SourceLocations(Path manifestDir, Path workDir, Path pvcRoot) {

    public static SourceLocations of(Path manifestDir, Path workDir) {
        String root = System.getenv("PREFALIGN_PVC_ROOT");
        return new SourceLocations(manifestDir, workDir, Path.of(root == null || root.isBlank() ? "/mnt/pvc" : root));
    }

    /** @param field the manifest field, for the error message (e.g. {@code spec.model.source}) */
    public Path resolve(String source, String field) throws JobException {
        if (source == null || source.isBlank()) {
            throw new JobException(field + " is empty");
        }
        if (source.startsWith("hf://")) {
            Path cached = HubCachePaths.snapshot(workDir.resolve("cache"), source);
            if (!Files.exists(cached)) {
                throw new JobException(field + ": " + source + " is not in the download cache (" + cached
                        + "); this trainer version reads Hugging Face sources only once they are downloaded there, "
                        + "or give a local folder instead");
            }
            return cached;
        }
        Path path;
        if (source.startsWith("pvc://")) {
            path = pvcRoot.resolve(source.substring("pvc://".length()));
        } else if (source.startsWith("file://")) {
            path = Path.of(source.substring("file://".length()));
        } else if (source.contains("://")) {
            throw new JobException(field + ": unsupported source '" + source
                    + "'; use hf://<repo>[@rev], hf://datasets/<repo>[@rev], pvc://<claim>/<path> or a local path");
        } else {
            path = manifestDir.resolve(source);
        }
        path = path.normalize();
        if (!Files.exists(path)) {
            throw new JobException(field + ": " + path + " does not exist");
        }
        return path;
    }
}
