package dev.prefalign.trainer.experiment;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.trainer.hub.HubSource;
import dev.prefalign.trainer.hub.SnapshotRecord;
import dev.prefalign.trainer.job.SourceLocations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which exact model, reference model and data a run used, for its record: for {@code hf://} sources the commit sha of
 * the downloaded snapshot (from its {@code .prefalign-snapshot.json}); for a local folder a sha256 over
 * {@code config.json} and the names and sizes of its files; for a local file a sha256 of its bytes.
 *
 * @param referenceModel null when the job has none
 */
public record Revisions(SourceRevision model, SourceRevision referenceModel, SourceRevision dataset) {

    /** A source as written and its revision in words, e.g. {@code hf commit 1a2b...} or {@code sha256:... of ...}. */
    public record SourceRevision(String source, String revision) {
    }

    public static Revisions of(PreferenceAlignmentJob job, SourceLocations sources) {
        PreferenceAlignmentJobSpec spec = job.getSpec();
        SourceRevision reference = spec.getReferenceModel() != null && spec.getReferenceModel().getSource() != null
                ? of(spec.getReferenceModel().getSource(), sources) : null;
        return new Revisions(of(spec.getModel().getSource(), sources), reference,
                of(spec.getDataset().getSource(), sources));
    }

    public static SourceRevision of(String source, SourceLocations sources) {
        try {
            if (source.startsWith("hf://")) {
                Path dir = HubSource.parse(source).snapshotDir(sources.cacheDir());
                Optional<SnapshotRecord> record = SnapshotRecord.read(dir);
                if (record.isPresent()) {
                    return new SourceRevision(source, "hf commit " + record.get().commit());
                }
                return new SourceRevision(source, Files.exists(dir)
                        ? fingerprint(dir) + " (a folder placed in the cache by hand: no download record)"
                        : "unknown: not downloaded");
            }
            Path path = source.startsWith("pvc://") ? sources.pvcRoot().resolve(source.substring("pvc://".length()))
                    : source.startsWith("file://") ? Path.of(source.substring("file://".length()))
                    : sources.manifestDir().resolve(source);
            return new SourceRevision(source, Files.exists(path) ? fingerprint(path) : "unknown: " + path
                    + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            return new SourceRevision(source, "unknown: " + e.getMessage());
        }
    }

    /** What identifies a local source's content, cheaply enough to run before every run. */
    static String fingerprint(Path path) throws IOException {
        MessageDigest sha = sha256();
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest()) + " of the file";
        }
        Path config = path.resolve("config.json");
        if (Files.isRegularFile(config)) {
            sha.update(Files.readAllBytes(config));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            // hidden entries are the downloader's and checkpoints' bookkeeping, not content
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(path.relativize(p).toString().split("/")).noneMatch(s -> s.startsWith(".")))
                    .sorted()
                    .toList();
        }
        for (Path f : files) {
            sha.update((path.relativize(f) + "\t" + Files.size(f) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest()) + " of " + (Files.isRegularFile(config)
                ? "config.json and " : "") + "the names and sizes of " + files.size() + " files";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
