package dev.prefalign.trainer.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link HubFetcher#fetch} did for one source.
 *
 * @param dir             the snapshot folder the trainer reads
 * @param origin          whether anything was downloaded
 * @param commit          the commit sha the files come from; null for a folder placed by hand
 * @param splits          for a dataset, the splits held (empty with {@code allSplits} or for a model)
 * @param files           every file of the snapshot, as recorded
 * @param bytesDownloaded bytes that crossed the network in this call
 * @param notes           what the user should know (e.g. a split taken from the Parquet conversion)
 */
public record FetchResult(HubSource source, Path dir, Origin origin, String commit, List<String> splits,
        List<SnapshotRecord.FileEntry> files, long bytesDownloaded, List<String> notes) {

    /** Where the snapshot came from in this call. */
    public enum Origin {
        /** Some or all files were downloaded now. */
        DOWNLOADED,
        /** Complete in the cache already: no network request was made. */
        CACHED,
        /** A folder put there by hand, without a completion record: used as it is, no network request. */
        PLACED_BY_HAND
    }

    public FetchResult {
        splits = List.copyOf(splits);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    public long totalBytes() {
        return files.stream().mapToLong(SnapshotRecord.FileEntry::size).sum();
    }

    /** One line for people: what, which commit, how much, from where. */
    public String summary() {
        String what = switch (origin) {
            case DOWNLOADED -> files.size() + " files, " + Sizes.human(totalBytes()) + " (downloaded "
                    + Sizes.human(bytesDownloaded) + ")";
            case CACHED -> files.size() + " files, " + Sizes.human(totalBytes()) + " (already in the cache)";
            case PLACED_BY_HAND -> "a folder placed by hand (no download record; used as it is)";
        };
        String splitText = splits.isEmpty() ? "" : " splits " + String.join(", ", splits) + ",";
        String commitText = commit == null ? "" : " commit " + commit.substring(0, Math.min(12, commit.length())) + ",";
        return source.uri() + ":" + splitText + commitText + " " + what + " -> " + dir;
    }
}
