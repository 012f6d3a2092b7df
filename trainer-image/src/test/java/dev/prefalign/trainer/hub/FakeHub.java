package dev.prefalign.trainer.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1: the revision API, the resolve endpoints with the Hub's
 * headers ({@code ETag}, {@code X-Linked-Etag}, {@code X-Linked-Size}, {@code X-Repo-Commit}), LFS files redirected
 * to a second server playing the CDN (another port, so another origin), Range requests, the Parquet conversion
 * listing, and switches for the failures a real download meets. Every request is recorded, with the bytes of bodies
 * sent.
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONVERT_REVISION = "refs/convert/parquet";

    /** One request as the server saw it. */
    public record Request(String server, String method, String path, String range, String authorization) {
    }

    /** A repository: branches pointing at commits of files, and the Parquet conversion of its splits. */
    public static final class Repo {
        final RepoType type;
        final String id;
        final Map<String, String> refs = new ConcurrentHashMap<>();
        final Map<String, Map<String, byte[]>> commits = new ConcurrentHashMap<>();
        final Map<String, List<byte[]>> conversion = new ConcurrentHashMap<>();
        volatile String requiredToken;

        Repo(RepoType type, String id) {
            this.type = type;
            this.id = id;
        }

        /** Commits {@code files} and points {@code branch} at the commit; returns its sha. */
        public String commit(String branch, Map<String, byte[]> files) {
            String sha = sha1Hex((id + branch + commits.size() + files.keySet()).getBytes(StandardCharsets.UTF_8));
            commits.put(sha, new LinkedHashMap<>(files));
            refs.put(branch, sha);
            return sha;
        }

        public String sha(String branch) {
            return refs.get(branch);
        }

        /** Files of the Hub's auto-converted Parquet export of a split (config 'default'). */
        public Repo convertedSplit(String split, byte[]... files) {
            conversion.put(split, List.of(files));
            return this;
        }

        /** Only this token may read the repository (a gated or private one). */
        public Repo gated(String token) {
            this.requiredToken = token;
            return this;
        }
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> bytesSent = new ConcurrentHashMap<>();

    // Switches, each matched against the request path.
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Failure> truncations = new ConcurrentHashMap<>();
    private volatile boolean ignoreRange;
    private volatile String commitHeaderOverride;
    private volatile String corruptPath;
    private volatile String understatedSizePath;
    private volatile long bodyDelayMillis;
    private volatile String etagOnGet;

    private record Failure(int status, long keepBytes, AtomicInteger remaining) {
    }

    public FakeHub() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        hub.createContext("/", exchange -> handle("hub", exchange));
        cdn.createContext("/", exchange -> handle("cdn", exchange));
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private String cdnBase() {
        return "http://127.0.0.1:" + cdn.getAddress().getPort();
    }

    public Repo model(String id) {
        return repos.computeIfAbsent("models/" + id, k -> new Repo(RepoType.MODEL, id));
    }

    public Repo dataset(String id) {
        return repos.computeIfAbsent("datasets/" + id, k -> new Repo(RepoType.DATASET, id));
    }

    // --- switches -------------------------------------------------------------------------------------------------

    /** The next {@code times} requests whose path contains {@code pathPart} get {@code status}. */
    public void fail(String pathPart, int status, int times) {
        failures.put(pathPart, new Failure(status, 0, new AtomicInteger(times)));
    }

    /** The next {@code times} GETs whose path contains {@code pathPart} announce the full length but stop early. */
    public void truncate(String pathPart, long keepBytes, int times) {
        truncations.put(pathPart, new Failure(200, keepBytes, new AtomicInteger(times)));
    }

    public void ignoreRange(boolean value) {
        ignoreRange = value;
    }

    /** Resolve responses claim to serve another commit. */
    public void serveCommit(String sha) {
        commitHeaderOverride = sha;
    }

    /** Bodies of requests whose path contains {@code pathPart} have one byte flipped. */
    public void corrupt(String pathPart) {
        corruptPath = pathPart;
    }

    /** Metadata of files whose path contains {@code pathPart} announces one byte less than the body has. */
    public void understateSize(String pathPart) {
        understatedSizePath = pathPart;
    }

    /** GETs of plain files answer with this ETag, as if the file changed after its metadata was read. */
    public void etagOnGet(String etag) {
        etagOnGet = etag;
    }

    /** Each body waits this long before its first byte (to make downloads overlap). */
    public void delayBodies(long millis) {
        bodyDelayMillis = millis;
    }

    // --- what happened ----------------------------------------------------------------------------------------------

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(Predicate<Request> filter) {
        return requests.stream().filter(filter).toList();
    }

    public void clearRequests() {
        requests.clear();
        bytesSent.clear();
    }

    /** Body bytes sent for requests whose path contains {@code pathPart}, on either server. */
    public long bytesSent(String pathPart) {
        return bytesSent.entrySet().stream().filter(e -> e.getKey().contains(pathPart))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    // --- serving ----------------------------------------------------------------------------------------------------

    private void handle(String server, HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(server, exchange.getRequestMethod(), decodedPath(path),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Failure failure = matching(failures, decodedPath(path));
            if (failure != null) {
                error(exchange, failure.status(), failure.status() == 404 ? "EntryNotFound" : null, "injected failure");
                return;
            }
            if (server.equals("cdn")) {
                serveBlob(exchange, path);
            } else if (path.startsWith("/api/")) {
                api(exchange, path);
            } else {
                resolve(exchange, path);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        } finally {
            exchange.close();
        }
    }

    private void api(HttpExchange exchange, String rawPath) throws IOException {
        List<String> parts = segments(rawPath.substring("/api/".length()));
        String kind = parts.get(0);
        Repo repo = parts.size() >= 3 ? repos.get(kind + "/" + parts.get(1) + "/" + parts.get(2)) : null;
        if (repo == null) {
            error(exchange, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!authorized(exchange, repo)) {
            return;
        }
        String action = parts.size() > 3 ? parts.get(3) : "";
        if (action.equals("revision") && parts.size() == 5) {
            String sha = shaOf(repo, parts.get(4));
            if (sha == null) {
                error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + parts.get(4));
                return;
            }
            ObjectNode json = JSON.createObjectNode().put("id", repo.id).put("sha", sha);
            ArrayNode siblings = json.putArray("siblings");
            repo.commits.get(sha).keySet().forEach(f -> siblings.addObject().put("rfilename", f));
            sendJson(exchange, json.toString());
        } else if (action.equals("parquet") && parts.size() == 6) {
            List<byte[]> files = parts.get(4).equals("default") ? repo.conversion.get(parts.get(5)) : null;
            if (files == null) {
                error(exchange, 404, null, "Not found");
                return;
            }
            ArrayNode urls = JSON.createArrayNode();
            for (int i = 0; i < files.size(); i++) {
                urls.add(endpoint() + "/api/datasets/" + repo.id + "/parquet/default/" + parts.get(5) + "/" + i
                        + ".parquet");
            }
            sendJson(exchange, urls.toString());
        } else if (action.equals("parquet") && parts.size() == 7) {
            int index = Integer.parseInt(parts.get(6).replace(".parquet", ""));
            // As the Hub does: a relative redirect to the file on the conversion branch.
            exchange.getResponseHeaders().set("Location", "/datasets/" + repo.id + "/resolve/"
                    + "refs%2Fconvert%2Fparquet/default/" + parts.get(5) + "/" + String.format("%04d.parquet", index));
            exchange.sendResponseHeaders(302, -1);
        } else {
            error(exchange, 404, null, "no such API");
        }
    }

    private void resolve(HttpExchange exchange, String rawPath) throws IOException {
        List<String> parts = segments(rawPath.substring(1));
        String kind = "models";
        if (parts.get(0).equals("datasets")) {
            kind = "datasets";
            parts = parts.subList(1, parts.size());
        }
        if (parts.size() < 5 || !parts.get(2).equals("resolve")) {
            error(exchange, 404, null, "no such page");
            return;
        }
        Repo repo = repos.get(kind + "/" + parts.get(0) + "/" + parts.get(1));
        if (repo == null) {
            error(exchange, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!authorized(exchange, repo)) {
            return;
        }
        String revision = parts.get(3);
        String file = String.join("/", parts.subList(4, parts.size()));
        byte[] data;
        String commit;
        if (revision.equals(CONVERT_REVISION)) {
            commit = sha1Hex(("convert" + repo.id).getBytes(StandardCharsets.UTF_8));
            List<String> p = List.of(file.split("/"));
            List<byte[]> files = repo.conversion.get(p.get(1));
            int index = Integer.parseInt(p.get(2).replace(".parquet", ""));
            data = files == null || index >= files.size() ? null : files.get(index);
        } else {
            commit = shaOf(repo, revision);
            if (commit == null) {
                error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                return;
            }
            data = repo.commits.get(commit).get(file);
        }
        if (data == null) {
            error(exchange, 404, "EntryNotFound", file + " does not exist");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-Repo-Commit", commitHeaderOverride != null ? commitHeaderOverride : commit);
        long announced = understatedSizePath != null && file.contains(understatedSizePath) ? data.length - 1
                : data.length;
        if (isLfs(file)) {
            String sha256 = sha256Hex(data);
            blobs.put(sha256, data);
            headers.set("X-Linked-Etag", "\"" + sha256 + "\"");
            headers.set("ETag", "\"" + sha256 + "\"");
            headers.set("X-Linked-Size", Long.toString(announced));
            headers.set("Location", cdnBase() + "/cdn/" + sha256 + "?file=" + file.replace('/', '_'));
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        boolean get = exchange.getRequestMethod().equals("GET");
        headers.set("ETag", "\"" + (get && etagOnGet != null ? etagOnGet : gitBlobSha1(data)) + "\"");
        serveBytes(exchange, data, announced, decodedPath(rawPath));
    }

    private void serveBlob(HttpExchange exchange, String rawPath) throws IOException {
        String sha256 = rawPath.substring("/cdn/".length());
        byte[] data = blobs.get(sha256);
        if (data == null) {
            error(exchange, 404, null, "NoSuchKey");
            return;
        }
        // A CDN's ETag is its own business, not a content hash.
        exchange.getResponseHeaders().set("ETag", "\"cdn-" + sha256.substring(0, 8) + "\"");
        String query = exchange.getRequestURI().getRawQuery();
        serveBytes(exchange, data, data.length, "/cdn/" + (query == null ? sha256 : query.replace("file=", "")));
    }

    /** Serves {@code data}, honouring a Range unless told not to, with the truncation and corruption switches. */
    private void serveBytes(HttpExchange exchange, byte[] data, long announced, String key) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        long start = 0;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            if (start >= data.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        long length = data.length - start;
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(announced));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] body = Arrays.copyOfRange(data, (int) start, data.length);
        if (corruptPath != null && key.contains(corruptPath) && body.length > 0) {
            body[body.length / 2] ^= 0x5a;
        }
        long keep = body.length;
        Failure cut = matching(truncations, key);
        if (cut != null) {
            keep = Math.min(keep, Math.max(0, cut.keepBytes() - start));
        }
        if (bodyDelayMillis > 0) {
            sleep(bodyDelayMillis);
        }
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        AtomicLong counter = bytesSent.computeIfAbsent(key, k -> new AtomicLong());
        OutputStream out = exchange.getResponseBody();
        try {
            for (int offset = 0; offset < keep; offset += 4096) {
                int n = (int) Math.min(4096, keep - offset);
                out.write(body, offset, n);
                counter.addAndGet(n);
            }
            out.flush();
        } catch (IOException e) {
            // the client went away: nothing to do
        }
        if (keep < body.length) {
            // Closing with bytes missing drops the connection: the client sees the body end early.
            try {
                exchange.close();
            } catch (RuntimeException e) {
                // expected: insufficient bytes written
            }
        }
    }

    private boolean authorized(HttpExchange exchange, Repo repo) throws IOException {
        String token = repo.requiredToken;
        if (token == null) {
            return true;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            error(exchange, 401, "GatedRepo", "Access to model " + repo.id + " is restricted. You must have access "
                    + "to it and be authenticated to access it. Please log in.");
            return false;
        }
        if (!auth.equals("Bearer " + token)) {
            error(exchange, 403, "GatedRepo", "Access to model " + repo.id + " is restricted and you are not in the "
                    + "authorized list.");
            return false;
        }
        return true;
    }

    private static String shaOf(Repo repo, String revision) {
        if (repo.commits.containsKey(revision)) {
            return revision;
        }
        return repo.refs.get(revision);
    }

    private static boolean isLfs(String file) {
        return Stream.of(".safetensors", ".parquet", ".bin", ".onnx", ".gguf").anyMatch(file::endsWith);
    }

    private static void error(HttpExchange exchange, int status, String errorCode, String message)
            throws IOException {
        if (errorCode != null) {
            exchange.getResponseHeaders().set("X-Error-Code", errorCode);
        }
        byte[] body = JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sendJson(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Failure matching(Map<String, Failure> switches, String path) {
        for (Map.Entry<String, Failure> entry : switches.entrySet()) {
            if (path.contains(entry.getKey()) && entry.getValue().remaining().getAndDecrement() > 0) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            out.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String decodedPath(String rawPath) {
        return String.join("/", segments(rawPath));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- hashes and files -------------------------------------------------------------------------------------------

    public static String sha256Hex(byte[] data) {
        return hex("SHA-256", data, null);
    }

    public static String gitBlobSha1(byte[] data) {
        return hex("SHA-1", data, ("blob " + data.length + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    static String sha1Hex(byte[] data) {
        return hex("SHA-1", data, null);
    }

    private static String hex(String algorithm, byte[] data, byte[] prefix) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                digest.update(prefix);
            }
            return HexFormat.of().formatHex(digest.digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under {@code dir}, by its '/'-separated relative path. */
    public static Map<String, byte[]> filesOf(Path dir) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
