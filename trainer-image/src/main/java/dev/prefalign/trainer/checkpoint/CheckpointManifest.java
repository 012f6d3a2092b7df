package dev.prefalign.trainer.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json}, written last into a checkpoint: the step and, per file, its size and sha256. A checkpoint
 * without a manifest, or whose files do not match it, is incomplete or damaged and is never loaded.
 */
public record CheckpointManifest(long step, Map<String, FileEntry> files) {
    static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record FileEntry(long size, String sha256) {
    }

    static CheckpointManifest describe(Path dir, long step, Iterable<String> names) throws IOException {
        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (String name : names) {
            Path f = dir.resolve(name);
            files.put(name, new FileEntry(Files.size(f), sha256(f)));
        }
        return new CheckpointManifest(step, files);
    }

    void write(Path dir) throws IOException {
        AtomicWrite.bytes(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }

    /** The manifest of a complete checkpoint, or the reason it is not one. */
    static Optional<String> verify(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.of("no " + FILE + " (the checkpoint was not finished)");
        }
        try {
            CheckpointManifest m = JSON.readValue(file.toFile(), CheckpointManifest.class);
            for (Map.Entry<String, FileEntry> e : m.files().entrySet()) {
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f)) {
                    return Optional.of(e.getKey() + " is missing");
                }
                if (Files.size(f) != e.getValue().size()) {
                    return Optional.of(e.getKey() + " has " + Files.size(f) + " bytes, the manifest says "
                            + e.getValue().size());
                }
                if (!sha256(f).equals(e.getValue().sha256())) {
                    return Optional.of(e.getKey() + " does not match its sha256");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(FILE + " is unreadable: " + e.getMessage());
        }
    }

    static CheckpointManifest read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE).toFile(), CheckpointManifest.class);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
