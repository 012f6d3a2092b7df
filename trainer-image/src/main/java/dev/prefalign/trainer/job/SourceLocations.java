package dev.prefalign.trainer.job;

import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.trainer.hub.FetchResult;
import dev.prefalign.trainer.hub.HubException;
import dev.prefalign.trainer.hub.HubFetcher;
import dev.prefalign.trainer.hub.HubSource;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Maps a manifest's source URI to a local path. Local paths are relative to the manifest's folder, so a manifest runs
 * the same from any working directory. {@code pvc://<claim>/<path>} is where the operator mounts other claims
 * ({@code $PREFALIGN_PVC_ROOT}, default {@code /mnt/pvc}); {@code hf://} sources are downloaded into the work dir's
 * cache ({@code <workDir>/cache}) when they are not complete there yet, and read from it offline afterwards.
 */
public final class SourceLocations {
    private final Path manifestDir;
    private final Path workDir;
    private final Path pvcRoot;
    private final Supplier<HubFetcher> hub;
    private HubFetcher hubInstance;

    /** Hub downloads configured from the environment (HF_ENDPOINT, HF_TOKEN, ...), set up at the first hf:// source. */
    public SourceLocations(Path manifestDir, Path workDir, Path pvcRoot) {
        this(manifestDir, workDir, pvcRoot, HubFetcher::fromEnvironment);
    }

    public SourceLocations(Path manifestDir, Path workDir, Path pvcRoot, HubFetcher hub) {
        this(manifestDir, workDir, pvcRoot, () -> hub);
        Objects.requireNonNull(hub, "hub");
    }

    private SourceLocations(Path manifestDir, Path workDir, Path pvcRoot, Supplier<HubFetcher> hub) {
        this.manifestDir = manifestDir;
        this.workDir = workDir;
        this.pvcRoot = pvcRoot;
        this.hub = hub;
    }

    public static SourceLocations of(Path manifestDir, Path workDir) {
        return new SourceLocations(manifestDir, workDir, defaultPvcRoot());
    }

    public static SourceLocations of(Path manifestDir, Path workDir, HubFetcher hub) {
        return new SourceLocations(manifestDir, workDir, defaultPvcRoot(), hub);
    }

    private static Path defaultPvcRoot() {
        String root = System.getenv("PREFALIGN_PVC_ROOT");
        return Path.of(root == null || root.isBlank() ? "/mnt/pvc" : root);
    }

    public Path manifestDir() {
        return manifestDir;
    }

    public Path workDir() {
        return workDir;
    }

    public Path pvcRoot() {
        return pvcRoot;
    }

    /** Where {@code hf://} sources are downloaded: {@code <workDir>/cache}. */
    public Path cacheDir() {
        return workDir.resolve("cache");
    }

    /**
     * The local path of a source; a {@code hf://} source not complete in the cache is downloaded first (a dataset with
     * every data file: use {@link #resolveDataset} to fetch only the job's splits).
     *
     * @param field the manifest field, for the error message (e.g. {@code spec.model.source})
     * @throws JobException for bad input, including a Hub answer that retrying cannot change (401, 404, no such split)
     * @throws UncheckedIOException wrapping a {@link HubException} when the Hub could not be reached or failed
     */
    public Path resolve(String source, String field) throws JobException {
        return resolve(source, field, List.of());
    }

    /** Like {@link #resolve}, fetching only the dataset's {@code split} and {@code evalSplit} from the Hub. */
    public Path resolveDataset(DatasetSpec dataset, String field) throws JobException {
        return resolve(dataset.getSource(), field, splitsOf(dataset));
    }

    /** The splits a job reads: {@code split}, and {@code evalSplit} when set. */
    public static List<String> splitsOf(DatasetSpec dataset) {
        List<String> splits = new ArrayList<>();
        if (dataset.getSplit() != null && !dataset.getSplit().isBlank()) {
            splits.add(dataset.getSplit());
        }
        if (dataset.getEvalSplit() != null && !dataset.getEvalSplit().isBlank()) {
            splits.add(dataset.getEvalSplit());
        }
        return splits;
    }

    private Path resolve(String source, String field, List<String> splits) throws JobException {
        if (source == null || source.isBlank()) {
            throw new JobException(field + " is empty");
        }
        if (source.startsWith("hf://")) {
            try {
                return fetch(source, field, splits).dir();
            } catch (HubException e) {
                throw new UncheckedIOException(field + ": " + e.getMessage(), e);
            }
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

    /**
     * Makes a {@code hf://} source complete in the cache.
     *
     * @param splits for a dataset, the splits to fetch (empty = every data file)
     * @throws JobException for bad input: an invalid URI or settings, or a Hub answer retrying cannot change
     * @throws HubException when the Hub could not be reached or failed (worth retrying later)
     */
    public FetchResult fetch(String source, String field, List<String> splits) throws JobException, HubException {
        HubSource parsed;
        try {
            parsed = HubSource.parse(source);
        } catch (IllegalArgumentException e) {
            throw new JobException(field + ": " + e.getMessage(), e);
        }
        try {
            return hub().fetch(parsed, cacheDir(), splits);
        } catch (HubException e) {
            if (e.badInput()) {
                throw new JobException(field + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The downloader; built from the environment at first use unless one was given. */
    public synchronized HubFetcher hub() throws JobException {
        if (hubInstance == null) {
            try {
                hubInstance = hub.get();
            } catch (IllegalArgumentException e) {
                throw new JobException("Hugging Face Hub settings: " + e.getMessage(), e);
            }
        }
        return hubInstance;
    }
}
