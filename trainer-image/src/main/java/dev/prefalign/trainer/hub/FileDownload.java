package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file into a snapshot folder: metadata first (hash, size, commit), then, under a lock on that file, the
 * bytes into {@code .prefalign-downloads/partial/<path>.<hash>.incomplete}, resumed with a Range request after a cut,
 * verified against the Hub's hash and size, and renamed into place. A file already in place with the right hash is
 * kept, which is how a second process that waited on the lock finds the first one's work done.
 */
final class FileDownload {
    /** Scratch space in a snapshot folder: partial files and lock files. Hidden, so no reader takes it for data. */
    static final String SCRATCH_DIR = ".prefalign-downloads";

    private static final Logger LOG = Logger.getLogger(FileDownload.class.getName());
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes\\s+(\\d+)-");
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private final HubClient client;

    FileDownload(HubClient client) {
        this.client = client;
    }

    /** A downloaded (or found) file and the bytes that crossed the network for it. */
    record Result(SnapshotRecord.FileEntry entry, long bytesDownloaded) {
    }

    /**
     * @param dir            the snapshot folder
     * @param path           the file's path under it ('/'-separated)
     * @param url            the resolve URL (or a Parquet conversion URL)
     * @param expectedCommit the commit the file must be served from, or null when the URL is not pinned to one
     * @param recordUrl      whether the record should keep {@code url} (it cannot be rebuilt from the commit)
     * @param subject        names the source and the file in messages
     */
    Result fetch(Path dir, String path, URI url, String expectedCommit, boolean recordUrl, String subject)
            throws HubException {
        Path target = inside(dir, path, subject);
        FileMetadata meta = client.metadata(url, subject);
        checkCommit(expectedCommit, meta.commit(), subject);
        FileHash hash = meta.hash();
        if (hash == null) {
            LOG.warning(subject + ": the server named no content hash (ETag '" + meta.etag() + "'); only the size is "
                    + "checked");
        }
        Path scratch = dir.resolve(SCRATCH_DIR);
        try (FileLocks.Held lock = FileLocks.acquire(scratch.resolve("locks").resolve(path + ".lock"), subject)) {
            if (alreadyInPlace(target, meta)) {
                LOG.fine(() -> subject + ": already downloaded and verified");
                return new Result(entry(path, target, hash, recordUrl ? url : null), 0);
            }
            Path partial = scratch.resolve("partial")
                    .resolve(path + "." + (hash == null ? "unverified" : hash.hex()) + ".incomplete");
            Files.createDirectories(partial.getParent());
            deleteStalePartials(partial, target.getFileName().toString());
            long[] received = {0};
            long started = System.nanoTime();
            FileMetadata[] current = {meta};
            client.retrier().call(subject, attempt -> {
                if (attempt > 1 && !HubClient.sameOrigin(current[0].downloadUrl(), endpoint())) {
                    current[0] = freshLink(url, meta, subject);
                }
                downloadOnce(current[0], partial, expectedCommit, subject, received);
                return null;
            });
            verify(partial, meta, hash, subject);
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            LOG.info(subject + ": " + Sizes.human(Files.size(target)) + " downloaded and verified in "
                    + String.format(Locale.ROOT, "%.1f s (%s/s)", seconds,
                            Sizes.human((long) (received[0] / seconds))));
            return new Result(entry(path, target, hash, recordUrl ? url : null), received[0]);
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.STORAGE, client.redactor().clean(subject + ": cannot write "
                    + target + ": " + e.getMessage()), e);
        }
    }

    /** A new CDN link for a retry (signed links expire), which must still name the same content. */
    private FileMetadata freshLink(URI url, FileMetadata first, String subject) throws IOException {
        FileMetadata fresh = client.metadataOnce(url, subject);
        if (first.hash() != null && !first.hash().equals(fresh.hash()) || first.size() != fresh.size()) {
            throw new HubException(HubException.Kind.REVISION_CHANGED, subject + ": the file changed while it was "
                    + "being downloaded (ETag " + first.etag() + " became " + fresh.etag() + "); run again");
        }
        return fresh;
    }

    private URI endpoint() {
        return URI.create(client.settings().endpoint());
    }

    /** One attempt: resume from the partial file's length, append what arrives, fail (retryably) if it ends early. */
    private void downloadOnce(FileMetadata meta, Path partial, String expectedCommit, String subject, long[] received)
            throws IOException {
        long offset = Files.exists(partial) ? Files.size(partial) : 0;
        if (meta.size() >= 0 && offset > meta.size()) {
            Files.delete(partial);
            offset = 0;
        }
        if (meta.size() >= 0 && offset == meta.size()) {
            return;
        }
        HubClient.Download download = client.open(meta.downloadUrl(), offset, subject);
        try {
            if (download.status() == 416) {
                Files.deleteIfExists(partial);
                throw new HubException(HubException.Kind.TRUNCATED, subject + ": the server refused to resume at byte "
                        + offset + "; starting over");
            }
            checkServedVersion(download, meta, expectedCommit, subject);
            boolean append = download.status() == 206;
            if (append) {
                long start = contentRangeStart(download.header("Content-Range"));
                if (start != offset) {
                    Files.deleteIfExists(partial);
                    throw new HubException(HubException.Kind.TRUNCATED, subject + ": the server resumed at byte "
                            + start + " instead of " + offset + "; starting over");
                }
                LOG.info(subject + ": resuming at byte " + offset);
            } else if (offset > 0) {
                LOG.info(subject + ": the server ignored the resume request; downloading from the start");
                offset = 0;
            }
            long expectedTotal = meta.size() >= 0 ? meta.size()
                    : download.contentLength() >= 0 ? offset + download.contentLength() : -1;
            long written = copy(download, partial, append, offset, expectedTotal, subject, received);
            if (expectedTotal >= 0 && written < expectedTotal) {
                download.abort();
                throw new HubException(HubException.Kind.TRUNCATED, subject + ": the download stopped at "
                        + written + " of " + expectedTotal + " bytes (truncated body)");
            }
        } catch (IOException e) {
            download.abort();
            throw e;
        }
        download.close();
    }

    private static long copy(HubClient.Download download, Path partial, boolean append, long offset, long expectedTotal,
            String subject, long[] received) throws IOException {
        long written = offset;
        long lastReport = System.nanoTime();
        try (InputStream in = download.body();
                OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                written += n;
                received[0] += n;
                if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                    lastReport = System.nanoTime();
                    LOG.info(subject + ": " + Sizes.human(written)
                            + (expectedTotal > 0 ? " of " + Sizes.human(expectedTotal) : ""));
                }
            }
        }
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return written;
    }

    /** A file served by the Hub itself (not the CDN) must be the one the metadata described. */
    private void checkServedVersion(HubClient.Download download, FileMetadata meta, String expectedCommit,
            String subject) throws HubException {
        if (!HubClient.sameOrigin(download.url(), endpoint())) {
            return;
        }
        checkCommit(expectedCommit, download.header("X-Repo-Commit"), subject);
        String etag = FileHash.normalizeEtag(download.header("ETag"));
        if (etag != null && meta.etag() != null && FileHash.fromEtag(etag).isPresent() && !etag.equals(meta.etag())) {
            throw new HubException(HubException.Kind.REVISION_CHANGED, subject + ": the file changed while it was "
                    + "being downloaded (ETag " + meta.etag() + " became " + etag + "); run again");
        }
    }

    private static void checkCommit(String expected, String served, String subject) throws HubException {
        if (expected != null && served != null && !served.strip().equals(expected)) {
            throw new HubException(HubException.Kind.REVISION_CHANGED, subject + ": the revision moved during the "
                    + "download: it resolved to commit " + expected + ", but the Hub serves the file from commit "
                    + served.strip() + ". Run again to download the new commit as a whole, or pin a commit with "
                    + "@<sha>.");
        }
    }

    private static void verify(Path partial, FileMetadata meta, FileHash hash, String subject) throws IOException {
        long size = Files.size(partial);
        if (meta.size() >= 0 && size != meta.size()) {
            Files.deleteIfExists(partial);
            throw new HubException(HubException.Kind.SIZE_MISMATCH, subject + ": received " + size + " bytes, but the "
                    + "Hub announced " + meta.size() + "; the partial file was deleted, run again");
        }
        if (hash != null) {
            String actual = FileHash.hexOf(partial, hash);
            if (!actual.equals(hash.hex())) {
                Files.deleteIfExists(partial);
                String algorithm = hash instanceof FileHash.Sha256 ? "sha256" : "git blob sha1";
                throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, subject + ": checksum mismatch: the "
                        + algorithm + " of the downloaded bytes is " + actual + ", the Hub's ETag says " + hash.hex()
                        + ". The download was deleted; run again (if it repeats, a proxy or mirror is corrupting it)");
            }
        }
    }

    private static boolean alreadyInPlace(Path target, FileMetadata meta) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        if (meta.size() >= 0 && Files.size(target) != meta.size()) {
            return false;
        }
        if (meta.hash() != null) {
            return meta.hash().matches(target);
        }
        return meta.size() >= 0;
    }

    private static SnapshotRecord.FileEntry entry(String path, Path target, FileHash hash, URI url) throws IOException {
        String label = (hash != null ? hash : FileHash.sha256Of(target)).label();
        return new SnapshotRecord.FileEntry(path, Files.size(target), label, url == null ? null : url.toString());
    }

    /** Partial files of the same path for another hash: an older version of the file, never to be resumed. */
    private static void deleteStalePartials(Path partial, String fileName) throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(partial.getParent())) {
            for (Path sibling : siblings) {
                if (!sibling.equals(partial) && isPartialOf(sibling.getFileName().toString(), fileName)) {
                    Files.deleteIfExists(sibling);
                }
            }
        }
    }

    /** {@code <fileName>.<hash>.incomplete} with a dot-free hash, so "model" never claims "model.safetensors.*". */
    static boolean isPartialOf(String name, String fileName) {
        String suffix = ".incomplete";
        if (!name.startsWith(fileName + ".") || !name.endsWith(suffix)
                || name.length() <= fileName.length() + 1 + suffix.length()) {
            return false;
        }
        String middle = name.substring(fileName.length() + 1, name.length() - suffix.length());
        return !middle.isEmpty() && middle.indexOf('.') < 0;
    }

    private static long contentRangeStart(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        Matcher m = CONTENT_RANGE_START.matcher(contentRange.strip());
        return m.lookingAt() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The file's place in the snapshot folder; a path that would leave it (absolute, '..') is refused. */
    static Path inside(Path dir, String path, String subject) throws HubException {
        boolean safe = !path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains("\0");
        for (String part : path.split("/", -1)) {
            safe &= !part.isEmpty() && !part.equals(".") && !part.equals("..");
        }
        Path target = dir.resolve(path).normalize();
        if (!safe || !target.startsWith(dir.normalize()) || path.startsWith(SCRATCH_DIR)
                || path.startsWith(SnapshotRecord.FILE_NAME)) {
            throw new HubException(HubException.Kind.PROTOCOL, subject + ": refusing the file path '" + path
                    + "': it would be written outside the snapshot folder or over its bookkeeping");
        }
        return target;
    }
}
