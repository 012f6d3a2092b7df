package dev.prefalign.trainer.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The Hub's HTTP API as the downloader needs it: the revision API (commit sha and file list), file metadata from the
 * resolve endpoint, the bytes (with a Range to resume), and the auto-converted Parquet listing.
 *
 * <p>Redirects are followed by hand, because the token must only go to the endpoint's own host: the Hub sends LFS files
 * to a CDN, which must never see it. {@link HttpURLConnection} is used for its per-read timeout, which bounds a body
 * that stops arriving as well as a server that never answers.
 */
public final class HubClient {
    private static final Logger LOG = Logger.getLogger(HubClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ERROR_BODY = 4096;

    private final HubSettings settings;
    private final URI endpoint;
    private final Redactor redactor;
    private final Retrier retrier;

    public HubClient(HubSettings settings) {
        this.settings = settings;
        this.endpoint = URI.create(settings.endpoint());
        this.redactor = new Redactor(settings.token());
        this.retrier = new Retrier(settings, redactor);
    }

    public HubSettings settings() {
        return settings;
    }

    Retrier retrier() {
        return retrier;
    }

    Redactor redactor() {
        return redactor;
    }

    /**
     * {@code GET {endpoint}/api/{models|datasets}/{repo}/revision/{revision}}: the commit a branch, tag or sha points
     * at and the files there.
     */
    public RepoRevision revision(HubSource source, String revision) throws HubException {
        String subject = source.uri()
                + (revision.equals(source.revisionOrDefault()) ? "" : " (commit " + revision + ")");
        URI uri = URI.create(settings.endpoint() + "/api/" + source.type().plural() + "/" + source.repoId()
                + "/revision/" + encodeSegment(revision));
        JsonNode json = retrier.call(subject, attempt -> getJson(uri, subject, "revision '" + revision + "'"));
        String sha = json.path("sha").asText("");
        if (!COMMIT_SHA.matcher(sha).matches()) {
            throw new HubException(HubException.Kind.PROTOCOL, subject + ": the Hub's revision API answered without a "
                    + "commit sha (" + uri + "); is HF_ENDPOINT a Hugging Face Hub?");
        }
        List<String> files = new ArrayList<>();
        for (JsonNode sibling : json.path("siblings")) {
            String name = sibling.path("rfilename").asText("");
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        return new RepoRevision(sha, files);
    }

    /**
     * {@code GET {endpoint}/api/datasets/{repo}/parquet/{config}/{split}}: URLs of the Hub's auto-converted Parquet
     * files of a split, or empty when the Hub has no such conversion.
     */
    public Optional<List<URI>> parquetFiles(HubSource source, String config, String split) throws HubException {
        String subject = source.uri() + " (Parquet conversion of " + config + "/" + split + ")";
        URI uri = URI.create(settings.endpoint() + "/api/datasets/" + source.repoId() + "/parquet/"
                + encodeSegment(config) + "/" + encodeSegment(split));
        JsonNode json;
        try {
            json = retrier.call(subject, attempt -> getJson(uri, subject, "split '" + split + "'"));
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (!json.isArray()) {
            throw new HubException(HubException.Kind.PROTOCOL, subject + ": expected a JSON array of URLs from " + uri);
        }
        List<URI> urls = new ArrayList<>();
        for (JsonNode url : json) {
            URI parsed = URI.create(url.asText(""));
            if (parsed.getScheme() == null || !parsed.getScheme().startsWith("http")) {
                throw new HubException(HubException.Kind.PROTOCOL, subject + ": '" + url.asText() + "' is not a URL");
            }
            urls.add(parsed);
        }
        return urls.isEmpty() ? Optional.empty() : Optional.of(urls);
    }

    /** {@code {endpoint}/[datasets/]{repo}/resolve/{commit}/{path}}. */
    public URI resolveUrl(HubSource source, String commit, String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            encoded.append(encoded.length() == 0 ? "" : "/").append(encodeSegment(segment));
        }
        return URI.create(settings.endpoint() + "/" + source.type().urlPrefix() + source.repoId() + "/resolve/"
                + encodeSegment(commit) + "/" + encoded);
    }

    /**
     * A HEAD request on a resolve URL, following redirects until a response describes the file: the Hub answers LFS
     * files with a redirect that carries {@code X-Linked-Etag} and {@code X-Linked-Size}, plain files directly.
     */
    FileMetadata metadata(URI url, String subject) throws HubException {
        return retrier.call(subject, attempt -> metadataOnce(url, subject));
    }

    /** {@link #metadata} without retries, for a caller that retries itself. */
    FileMetadata metadataOnce(URI url, String subject) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = send("HEAD", current, -1);
            int code = status(c, subject);
            if (isRedirect(code)) {
                URI location = location(c, current, subject);
                // As huggingface_hub: follow redirects within the Hub (renamed repositories, the Parquet export);
                // stop at the one that leaves it, which describes the file it points to.
                boolean describesFile = c.getHeaderField("X-Linked-Etag") != null || !sameOrigin(location, endpoint);
                FileMetadata metadata = describesFile ? metadataOf(c, code, location) : null;
                c.disconnect();
                if (metadata != null) {
                    return metadata;
                }
                current = location;
                continue;
            }
            if (code / 100 == 2) {
                FileMetadata metadata = metadataOf(c, code, current);
                c.disconnect();
                return metadata;
            }
            throw statusError(code, c, subject, "file");
        }
        throw tooManyRedirects(url, subject);
    }

    /**
     * One GET of a file's bytes from {@code offset} on (a Range request when above 0), redirects followed, the token
     * sent to the endpoint's host only. The caller retries, resuming from what it has.
     */
    Download open(URI url, long offset, String subject) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = send("GET", current, offset);
            int code = status(c, subject);
            if (isRedirect(code)) {
                URI location = location(c, current, subject);
                c.disconnect();
                current = location;
                continue;
            }
            if (code == 200 || code == 206 || code == 416) {
                return new Download(c, code, current);
            }
            if (!sameOrigin(current, endpoint) && code / 100 == 4) {
                c.disconnect();
                throw new HubException(HubException.Kind.LINK_REFUSED, subject + ": " + current.getHost()
                        + " refused the download link (HTTP " + code + "; signed links expire)");
            }
            throw statusError(code, c, subject, "file");
        }
        throw tooManyRedirects(url, subject);
    }

    /** An open response body. */
    static final class Download implements AutoCloseable {
        private final HttpURLConnection connection;
        private final int status;
        private final URI url;

        Download(HttpURLConnection connection, int status, URI url) {
            this.connection = connection;
            this.status = status;
            this.url = url;
        }

        int status() {
            return status;
        }

        /** Where the bytes finally came from: the endpoint's host or a CDN. */
        URI url() {
            return url;
        }

        String header(String name) {
            return connection.getHeaderField(name);
        }

        long contentLength() {
            return connection.getContentLengthLong();
        }

        InputStream body() throws IOException {
            return connection.getInputStream();
        }

        /** Drops the connection instead of draining it, for a body read only in part. */
        void abort() {
            connection.disconnect();
        }

        @Override
        public void close() {
            try {
                if (status != 416) {
                    connection.getInputStream().close();
                }
            } catch (IOException e) {
                connection.disconnect();
            }
        }
    }

    private JsonNode getJson(URI uri, String subject, String notFoundWhat) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = send("GET", current, -1);
            int code = status(c, subject);
            if (isRedirect(code)) {
                URI location = location(c, current, subject);
                c.disconnect();
                current = location;
                continue;
            }
            if (code != 200) {
                throw statusError(code, c, subject, notFoundWhat);
            }
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            } catch (JsonProcessingException e) {
                throw new HubException(HubException.Kind.PROTOCOL, subject + ": " + current + " did not answer JSON ("
                        + e.getOriginalMessage() + "); is HF_ENDPOINT a Hugging Face Hub?", e);
            }
        }
        throw tooManyRedirects(uri, subject);
    }

    private HttpURLConnection send(String method, URI uri, long offset) throws IOException {
        LOG.fine(() -> method + " " + uri + (offset > 0 ? " from byte " + offset : ""));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis())));
        c.setReadTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis())));
        c.setRequestMethod(method);
        c.setRequestProperty("User-Agent", "prefalign-trainer; java/" + System.getProperty("java.version"));
        // Sizes and hashes are of the stored bytes: no transparent compression.
        c.setRequestProperty("Accept-Encoding", "identity");
        if (offset > 0) {
            c.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        if (settings.hasToken() && sameOrigin(uri, endpoint)) {
            c.setRequestProperty("Authorization", "Bearer " + settings.token());
        }
        return c;
    }

    private int status(HttpURLConnection c, String subject) throws IOException {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            c.disconnect();
            throw redactor.networkError(subject, e);
        }
    }

    private static FileMetadata metadataOf(HttpURLConnection c, int code, URI downloadUrl) {
        String linkedEtag = c.getHeaderField("X-Linked-Etag");
        String etag = FileHash.normalizeEtag(linkedEtag != null ? linkedEtag : c.getHeaderField("ETag"));
        FileHash hash = FileHash.fromEtag(etag).orElse(null);
        long size = parseSize(c.getHeaderField("X-Linked-Size"));
        if (size < 0 && code / 100 == 2) {
            size = parseSize(c.getHeaderField("Content-Length"));
        }
        String commit = c.getHeaderField("X-Repo-Commit");
        return new FileMetadata(downloadUrl, hash, size, commit == null ? null : commit.strip(), etag);
    }

    private static long parseSize(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    private URI location(HttpURLConnection c, URI current, String subject) throws HubException {
        String location = c.getHeaderField("Location");
        if (location == null || location.isBlank()) {
            c.disconnect();
            throw new HubException(HubException.Kind.PROTOCOL, subject + ": redirect without a Location from "
                    + current);
        }
        try {
            return current.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            c.disconnect();
            throw new HubException(HubException.Kind.PROTOCOL, redactor.clean(subject + ": bad redirect Location '"
                    + location + "' from " + current), e);
        }
    }

    private HubException tooManyRedirects(URI url, String subject) {
        return new HubException(HubException.Kind.PROTOCOL, subject + ": more than " + MAX_REDIRECTS
                + " redirects from " + url);
    }

    /** A non-success status as a message that names the source and the file and says what to do. */
    private HubException statusError(int code, HttpURLConnection c, String subject, String what) {
        String errorCode = c.getHeaderField("X-Error-Code");
        String serverMessage = serverMessage(c);
        long retryAfter = parseSize(c.getHeaderField("Retry-After"));
        c.disconnect();
        String said = serverMessage == null ? "" : " The Hub said: " + serverMessage;
        if (code == 401 || code == 403) {
            String tokenNote = settings.hasToken()
                    ? " A token was sent, but it may not read this repository (or you have not accepted its terms)."
                    : " No token was sent.";
            return new HubException(HubException.Kind.ACCESS_DENIED, redactor.clean(subject + ": access denied (HTTP "
                    + code + "). The repository may be gated or private, or may not exist: request access on its Hub "
                    + "page if it is gated, and give a token that can read it in HF_TOKEN (in Kubernetes: "
                    + "spec.model.tokenSecretRef)." + tokenNote + said));
        }
        if (code == 404) {
            String missing = switch (errorCode == null ? "" : errorCode) {
                case "RepoNotFound" -> "repository not found; check the owner and name";
                case "RevisionNotFound" -> "revision not found; check the branch, tag or commit after '@'";
                case "EntryNotFound" -> what + " not found in the repository at this revision";
                default -> what + " not found (HTTP 404): check the repository name, the revision and the file";
            };
            return new HubException(HubException.Kind.NOT_FOUND, redactor.clean(subject + ": " + missing + "." + said));
        }
        if (code == 429) {
            return new HubException(HubException.Kind.RATE_LIMITED, redactor.clean(subject + ": the Hub asks to slow "
                    + "down (HTTP 429)." + said), null, retryAfter);
        }
        if (code >= 500) {
            return new HubException(HubException.Kind.SERVER_ERROR, redactor.clean(subject + ": the Hub failed (HTTP "
                    + code + "); try again later." + said), null, retryAfter);
        }
        return new HubException(HubException.Kind.REJECTED, redactor.clean(subject + ": the Hub refused the request "
                + "(HTTP " + code + ")." + said));
    }

    /** {@code X-Error-Message}, or the {@code error} field of a JSON body, cut short. */
    private String serverMessage(HttpURLConnection c) {
        String header = c.getHeaderField("X-Error-Message");
        if (header != null && !header.isBlank()) {
            return shorten(header);
        }
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return null;
            }
            byte[] body = err.readNBytes(MAX_ERROR_BODY);
            JsonNode json = JSON.readTree(body);
            return json != null && json.path("error").isTextual() ? shorten(json.get("error").asText()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    /** Same scheme, host and port: only then may the token go along. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
