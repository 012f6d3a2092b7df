package dev.prefalign.trainer.hub;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The completion record of a downloaded snapshot, {@code .prefalign-snapshot.json} in the snapshot folder. It is
 * written last and atomically, so its presence means every file it lists was downloaded and verified; a later run that
 * finds it (and the files at their sizes) needs no network at all.
 *
 * @param source    the {@code hf://} URI as written in the manifest
 * @param commit    the commit sha every file was downloaded from
 * @param splits    for a dataset: the splits whose files are here; empty for a model
 * @param allSplits for a dataset: every data file of the repository is here (no split was named)
 * @param files     every downloaded file
 * @param notes     what a reader should know (e.g. a split taken from the Hub's Parquet conversion)
 * @param fetchedAt when the record was written (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SnapshotRecord(String source, String commit, List<String> splits, boolean allSplits,
        List<FileEntry> files, List<String> notes, String fetchedAt) {

    public static final String FILE_NAME = ".prefalign-snapshot.json";

    private static final Logger LOG = Logger.getLogger(SnapshotRecord.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * One file of the snapshot.
     *
     * @param path repository path, also the path under the snapshot folder
     * @param size bytes
     * @param hash {@code sha256:<hex>} or {@code git-sha1:<hex>}: the hash it was verified against
     * @param url  where it came from when that is not the repository's resolve URL at {@code commit} (the Hub's Parquet
     *             conversion); null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileEntry(String path, long size, String hash, String url) {
    }

    public SnapshotRecord {
        splits = splits == null ? List.of() : List.copyOf(splits);
        files = files == null ? List.of() : List.copyOf(files);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** For a dataset: true when the record holds every named split (an empty list asks for every split). */
    public boolean covers(List<String> wantedSplits) {
        // No split named means "every split": only a record of every data file holds that.
        return allSplits || (!wantedSplits.isEmpty() && splits.containsAll(wantedSplits));
    }

    /** Entries whose file is missing or has another size than recorded. */
    public List<FileEntry> damaged(Path dir) {
        List<FileEntry> out = new ArrayList<>();
        for (FileEntry entry : files) {
            Path file = dir.resolve(entry.path());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != entry.size()) {
                    out.add(entry);
                }
            } catch (IOException e) {
                out.add(entry);
            }
        }
        return out;
    }

    /** The record in {@code dir}, or empty when there is none or it cannot be read (then the snapshot is redone). */
    public static Optional<SnapshotRecord> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            SnapshotRecord record = JSON.readValue(file.toFile(), SnapshotRecord.class);
            if (record.commit() == null || record.commit().isBlank()) {
                throw new IOException("it names no commit");
            }
            return Optional.of(record);
        } catch (IOException e) {
            LOG.warning("ignoring the unreadable snapshot record " + file + " (" + e.getMessage()
                    + "); the snapshot is checked against the Hub again");
            return Optional.empty();
        }
    }

    /** Writes the record beside a temporary name, flushes it to disk, and renames it into place. */
    public void write(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
