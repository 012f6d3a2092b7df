package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hash the Hub publishes for a file: LFS files are named by the sha256 of their content ({@code X-Linked-Etag}),
 * plain git files by git's blob sha1 ({@code ETag}), which hashes {@code "blob <size>\0"} followed by the content.
 */
public sealed interface FileHash {

    /** Lower-case hex. */
    String hex();

    /** {@code sha256:<hex>} or {@code git-sha1:<hex>}, as written in the snapshot record. */
    String label();

    /** A fresh digest primed for a file of {@code size} bytes. */
    MessageDigest newDigest(long size);

    record Sha256(String hex) implements FileHash {
        public Sha256 {
            hex = hex.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "sha256:" + hex;
        }

        @Override
        public MessageDigest newDigest(long size) {
            return digest("SHA-256");
        }
    }

    record GitBlobSha1(String hex) implements FileHash {
        public GitBlobSha1 {
            hex = hex.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "git-sha1:" + hex;
        }

        @Override
        public MessageDigest newDigest(long size) {
            MessageDigest d = digest("SHA-1");
            d.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return d;
        }
    }

    Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    Pattern SHA1_HEX = Pattern.compile("[0-9a-fA-F]{40}");

    /**
     * The hash an ETag stands for, once quotes and a weak {@code W/} prefix are stripped: 64 hex digits are a sha256,
     * 40 a git blob sha1; anything else (a CDN's own ETag) names no content hash.
     */
    static Optional<FileHash> fromEtag(String etag) {
        String value = normalizeEtag(etag);
        if (value == null) {
            return Optional.empty();
        }
        if (SHA256_HEX.matcher(value).matches()) {
            return Optional.of(new Sha256(value));
        }
        if (SHA1_HEX.matcher(value).matches()) {
            return Optional.of(new GitBlobSha1(value));
        }
        return Optional.empty();
    }

    /** Reads a label written by {@link #label()}. */
    static Optional<FileHash> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        if (label.startsWith("sha256:")) {
            return Optional.of(new Sha256(label.substring("sha256:".length())));
        }
        if (label.startsWith("git-sha1:")) {
            return Optional.of(new GitBlobSha1(label.substring("git-sha1:".length())));
        }
        return Optional.empty();
    }

    /** {@code W/"abc"} → {@code abc}; null or blank → null. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value.isBlank() ? null : value;
    }

    /** The hash of a file on disk, computed the same way as {@code expected}. */
    static String hexOf(Path file, FileHash expected) throws IOException {
        long size = Files.size(file);
        MessageDigest digest = expected.newDigest(size);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The sha256 of a file, for the record of a file whose server named no hash. */
    static Sha256 sha256Of(Path file) throws IOException {
        return new Sha256(hexOf(file, new Sha256("")));
    }

    /** True when the file on disk has exactly this hash. */
    default boolean matches(Path file) throws IOException {
        return hexOf(file, this).equals(hex());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
