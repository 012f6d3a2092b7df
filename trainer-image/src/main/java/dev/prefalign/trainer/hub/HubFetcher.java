package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Downloads {@code hf://} models and dataset splits into the work dir's cache the way huggingface_hub does: the
 * revision is resolved once to a commit sha, every file is fetched from that commit and verified, and a completion
 * record written last lets later runs use the snapshot without a single request.
 *
 * <p>The folder is {@link HubSource#snapshotDir}: files under their repository paths, plus the hidden record
 * ({@value SnapshotRecord#FILE_NAME}) and scratch space ({@value FileDownload#SCRATCH_DIR}). Once a snapshot has a
 * record it stays on that commit: more splits of a dataset are fetched from the same commit, so one folder never mixes
 * two versions of a repository. Delete the folder to move a branch such as {@code main} forward.
 */
public final class HubFetcher {
    private static final Logger LOG = Logger.getLogger(HubFetcher.class.getName());
    /** The config the Hub's Parquet conversion uses for datasets that have only one. */
    static final String DEFAULT_CONFIG = "default";

    private final HubClient client;
    private final FileDownload download;

    public HubFetcher(HubClient client) {
        this.client = client;
        this.download = new FileDownload(client);
    }

    /** A fetcher for this process's environment ({@link HubSettings#fromEnvironment()}); makes no request yet. */
    public static HubFetcher fromEnvironment() {
        return new HubFetcher(new HubClient(HubSettings.fromEnvironment()));
    }

    public HubClient client() {
        return client;
    }

    /**
     * Makes {@code source} complete in {@code cacheDir} and says what that took.
     *
     * @param splits for a dataset, the splits to fetch; empty = every data file of the repository. Ignored for models.
     */
    public FetchResult fetch(HubSource source, Path cacheDir, List<String> splits) throws HubException {
        boolean dataset = source.type() == RepoType.DATASET;
        List<String> wanted = dataset ? distinct(splits) : List.of();
        Path dir = source.snapshotDir(cacheDir);
        Optional<SnapshotRecord> existing = SnapshotRecord.read(dir);
        if (existing.isPresent() && (!dataset || existing.get().covers(wanted))) {
            return repair(source, dir, existing.get());
        }
        if (existing.isEmpty() && isPlacedByHand(dir)) {
            LOG.info(source + ": using " + dir + " as it is (a folder placed there by hand: it has no download "
                    + "record, so it is neither checked nor updated)");
            return new FetchResult(source, dir, FetchResult.Origin.PLACED_BY_HAND, null, wanted, List.of(), 0,
                    List.of());
        }
        requireOnline(source, dir, existing.isPresent() ? "the split(s) " + String.join(", ", wanted)
                + " are not downloaded yet" : "it is not downloaded yet");
        // A snapshot that holds other splits already stays on its commit.
        String revision = existing.map(SnapshotRecord::commit).orElse(source.revisionOrDefault());
        RepoRevision repo = client.revision(source, revision);
        LOG.info(source + ": revision " + revision + " is commit " + repo.sha() + " (" + repo.files().size()
                + " files in the repository)");
        createScratch(source, dir);
        FetchRun run = new FetchRun(source, dir, repo);
        if (dataset) {
            run.dataset(wanted);
        } else {
            run.model();
        }
        SnapshotRecord record = saveRecord(source, dir, repo.sha(), wanted, run);
        LOG.info(source + ": complete at commit " + repo.sha() + " in " + dir + " (" + Sizes.human(run.bytes)
                + " downloaded)");
        return new FetchResult(source, dir, FetchResult.Origin.DOWNLOADED, repo.sha(), record.splits(),
                record.files(), run.bytes, record.notes());
    }

    /** A recorded snapshot: used without a request when every file is there at its size, else the rest is fetched. */
    private FetchResult repair(HubSource source, Path dir, SnapshotRecord record) throws HubException {
        List<SnapshotRecord.FileEntry> damaged = record.damaged(dir);
        if (damaged.isEmpty()) {
            LOG.fine(() -> source + ": complete in the cache at commit " + record.commit());
            return new FetchResult(source, dir, FetchResult.Origin.CACHED, record.commit(), record.splits(),
                    record.files(), 0, record.notes());
        }
        String names = ModelFiles.listed(damaged.stream().map(SnapshotRecord.FileEntry::path).toList());
        requireOnline(source, dir, damaged.size() + " recorded file(s) are missing or have another size: " + names);
        LOG.warning(source + ": " + damaged.size() + " file(s) of the snapshot are missing or have another size ("
                + names + "); downloading them again from commit " + record.commit());
        createScratch(source, dir);
        long bytes = 0;
        Map<String, SnapshotRecord.FileEntry> refreshed = new LinkedHashMap<>();
        for (SnapshotRecord.FileEntry entry : damaged) {
            String subject = source + ": file " + entry.path();
            boolean converted = entry.url() != null;
            URI url = converted ? URI.create(entry.url()) : client.resolveUrl(source, record.commit(), entry.path());
            FileDownload.Result result = download.fetch(dir, entry.path(), url, converted ? null : record.commit(),
                    converted, subject);
            refreshed.put(entry.path(), result.entry());
            bytes += result.bytesDownloaded();
        }
        List<SnapshotRecord.FileEntry> files = record.files().stream()
                .map(entry -> refreshed.getOrDefault(entry.path(), entry)).toList();
        SnapshotRecord updated = new SnapshotRecord(record.source(), record.commit(), record.splits(),
                record.allSplits(), files, record.notes(), Instant.now().toString());
        writeRecord(source, dir, updated);
        return new FetchResult(source, dir, FetchResult.Origin.DOWNLOADED, record.commit(), record.splits(), files,
                bytes, record.notes());
    }

    /** The files of one fetch, in the order they were downloaded. */
    private final class FetchRun {
        final HubSource source;
        final Path dir;
        final RepoRevision repo;
        final List<SnapshotRecord.FileEntry> entries = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long bytes;

        FetchRun(HubSource source, Path dir, RepoRevision repo) {
            this.source = source;
            this.dir = dir;
            this.repo = repo;
        }

        void model() throws HubException {
            List<String> files = ModelFiles.initial(source, repo.files());
            LOG.info(source + ": downloading " + String.join(", ", files));
            for (String file : files) {
                fromRepo(file);
            }
            if (files.contains(ModelFiles.WEIGHTS_INDEX)) {
                List<String> shards = ModelFiles.shards(source, dir.resolve(ModelFiles.WEIGHTS_INDEX), repo.files());
                LOG.info(source + ": downloading " + shards.size() + " weight shard(s)");
                for (String shard : shards) {
                    fromRepo(shard);
                }
            }
        }

        void dataset(List<String> splits) throws HubException {
            if (splits.isEmpty()) {
                List<String> files = DatasetFiles.all(repo.files());
                if (files.isEmpty()) {
                    throw new HubException(HubException.Kind.NO_SUCH_SPLIT, source + ": the repository has no "
                            + ".parquet, .jsonl or .json files (files: " + ModelFiles.listed(repo.files()) + "); "
                            + "name the split (spec.dataset.split) to use the Hub's Parquet conversion");
                }
                for (String file : files) {
                    fromRepo(file);
                }
                return;
            }
            for (Map.Entry<String, List<String>> split : DatasetFiles.bySplit(repo.files(), splits).entrySet()) {
                if (split.getValue().isEmpty()) {
                    fromParquetConversion(split.getKey());
                    continue;
                }
                LOG.info(source + ": split " + split.getKey() + ": " + String.join(", ", split.getValue()));
                for (String file : split.getValue()) {
                    fromRepo(file);
                }
            }
        }

        private void fromRepo(String path) throws HubException {
            String subject = source + ": file " + path;
            FileDownload.Result result = download.fetch(dir, path, client.resolveUrl(source, repo.sha(), path),
                    repo.sha(), false, subject);
            entries.add(result.entry());
            bytes += result.bytesDownloaded();
        }

        /** huggingface_hub's fallback for repositories without data files: the dataset viewer's Parquet export. */
        private void fromParquetConversion(String split) throws HubException {
            Optional<List<URI>> urls = client.parquetFiles(source, DEFAULT_CONFIG, split);
            if (urls.isEmpty()) {
                throw new HubException(HubException.Kind.NO_SUCH_SPLIT,
                        DatasetFiles.noSuchSplit(source, split, DEFAULT_CONFIG, repo.files()));
            }
            String note = "split " + split + ": the repository has no files for it; using the Hub's auto-converted "
                    + "Parquet files (config '" + DEFAULT_CONFIG + "', " + urls.get().size() + " file(s))"
                    + (source.revision() != null && !source.revision().equals(HubSource.DEFAULT_REVISION)
                            ? ", which are converted from the main branch, not from " + source.revision() : "");
            LOG.warning(source + ": " + note);
            notes.add(note);
            for (URI url : urls.get()) {
                String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                if (!name.endsWith(".parquet")) {
                    throw new HubException(HubException.Kind.PROTOCOL, source + ": the Parquet conversion listed '"
                            + url + "', which is not a .parquet file");
                }
                String path = DEFAULT_CONFIG + "/" + split + "/" + name;
                FileDownload.Result result = download.fetch(dir, path, url, null, true, source + ": file " + path
                        + " (Parquet conversion)");
                entries.add(result.entry());
                bytes += result.bytesDownloaded();
            }
        }
    }

    /** Merges this fetch into the record under the snapshot's lock, so two processes adding splits keep both. */
    private SnapshotRecord saveRecord(HubSource source, Path dir, String commit, List<String> wanted, FetchRun run)
            throws HubException {
        try (FileLocks.Held lock = FileLocks.acquire(dir.resolve(FileDownload.SCRATCH_DIR).resolve("snapshot.lock"),
                source + " (snapshot record)")) {
            Optional<SnapshotRecord> current = SnapshotRecord.read(dir).filter(r -> r.commit().equals(commit));
            Map<String, SnapshotRecord.FileEntry> files = new LinkedHashMap<>();
            current.ifPresent(r -> r.files().forEach(f -> files.put(f.path(), f)));
            run.entries.forEach(f -> files.put(f.path(), f));
            LinkedHashSet<String> splits = new LinkedHashSet<>(current.map(SnapshotRecord::splits).orElse(List.of()));
            splits.addAll(wanted);
            LinkedHashSet<String> notes = new LinkedHashSet<>(current.map(SnapshotRecord::notes).orElse(List.of()));
            notes.addAll(run.notes);
            boolean all = source.type() == RepoType.DATASET
                    && (wanted.isEmpty() || current.map(SnapshotRecord::allSplits).orElse(false));
            SnapshotRecord record = new SnapshotRecord(source.uri(), commit, List.copyOf(splits), all,
                    List.copyOf(files.values()), List.copyOf(notes), Instant.now().toString());
            record.write(dir);
            return record;
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.STORAGE, source + ": cannot write the snapshot record in " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    private static void writeRecord(HubSource source, Path dir, SnapshotRecord record) throws HubException {
        try (FileLocks.Held lock = FileLocks.acquire(dir.resolve(FileDownload.SCRATCH_DIR).resolve("snapshot.lock"),
                source + " (snapshot record)")) {
            record.write(dir);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.STORAGE, source + ": cannot write the snapshot record in " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    private void requireOnline(HubSource source, Path dir, String why) throws HubException {
        if (client.settings().offline()) {
            throw new HubException(HubException.Kind.OFFLINE, source + " is not complete in the cache " + dir + " ("
                    + why + ") and HF_HUB_OFFLINE is set: run `fetch -f job.yaml` where the Hub can be reached, or "
                    + "unset HF_HUB_OFFLINE");
        }
    }

    private static void createScratch(HubSource source, Path dir) throws HubException {
        try {
            Files.createDirectories(dir.resolve(FileDownload.SCRATCH_DIR));
        } catch (IOException e) {
            throw new HubException(HubException.Kind.STORAGE, source + ": cannot create the cache folder " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A folder with files but neither a record nor our scratch space was put there by hand (the way snapshots were
     * provided before the trainer could download); an interrupted download always leaves the scratch space.
     */
    private static boolean isPlacedByHand(Path dir) {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(FileDownload.SCRATCH_DIR))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> distinct(List<String> splits) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String split : splits) {
            if (split != null && !split.isBlank()) {
                out.add(split.strip());
            }
        }
        return List.copyOf(out);
    }
}
