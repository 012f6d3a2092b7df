package dev.prefalign.trainer.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a run's {@link TrainingStatus} over HTTP on all interfaces (the operator polls it from outside the pod):
 * {@code GET /status} (JSON, see {@link StatusJson}), {@code GET /metrics} (Prometheus text, or OpenMetrics when the
 * scraper asks for it), {@code GET /healthz}; anything else is 404. Its threads are daemons, so a server left open
 * never keeps the JVM alive; a request reads one snapshot and takes no lock the training thread holds.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StatusServer.class.getName());
    /** The port the trainer listens on unless told otherwise ({@code --status-port}). */
    public static final int DEFAULT_PORT = 8080;
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";

    static {
        // The JDK server writes headers and body as two segments; with Nagle's algorithm on, the body then waits for
        // the client's delayed ACK (40 ms on Linux). Read once per JVM, so set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final PrometheusRegistry registry;

    private StatusServer(HttpServer server, ExecutorService workers, PrometheusRegistry registry) {
        this.server = server;
        this.workers = workers;
        this.registry = registry;
    }

    /**
     * Starts serving {@code status} on {@code port} (0: any free port, see {@link #port()}). A negative port disables
     * the server: the result binds nothing and closes as a no-op, so callers need no special case.
     *
     * @throws IOException when the port cannot be bound, naming it and the option that changes it
     */
    public static StatusServer start(int port, TrainingStatus status) throws IOException {
        if (port < 0) {
            return new StatusServer(null, null, null);
        }
        if (port > 65_535) {
            throw new IllegalArgumentException("--status-port must be a TCP port (0 to 65535, 0: any free one) or -1 "
                    + "to run without the status server; got " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (BindException e) {
            throw new IOException("cannot listen on port " + port + " for /status and /metrics (" + e.getMessage()
                    + "); pass --status-port with a free port, or -1 to run without the status server", e);
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new TrainingMetrics(status));
        ExecutorService workers = Executors.newFixedThreadPool(2, daemonThreads());
        StatusServer result = new StatusServer(server, workers, registry);
        server.createContext("/", exchange -> result.handle(exchange, status));
        server.setExecutor(workers);
        startAsDaemon(server);
        LOG.info("serving /status and /metrics on port " + result.port());
        return result;
    }

    /** The bound port, or -1 when disabled. */
    public int port() {
        return server != null ? server.getAddress().getPort() : -1;
    }

    /** The bound address (the wildcard address: all interfaces); null when disabled. */
    InetSocketAddress address() {
        return server != null ? server.getAddress() : null;
    }

    public boolean enabled() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    /** A reply computed before anything is sent, so that a failure can still become a 500. */
    private record Reply(int code, String type, byte[] body) {
        static Reply text(int code, String text) {
            return new Reply(code, TEXT_TYPE, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void handle(HttpExchange exchange, TrainingStatus status) {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange, status);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "status server: " + exchange.getRequestURI() + " failed", e);
                reply = Reply.text(500, "internal error: " + e + "\n");
            }
            respond(exchange, reply);
        } catch (IOException e) {
            // The client went away mid-reply; training goes on regardless.
            LOG.log(Level.FINE, "status server: reply not delivered", e);
        }
    }

    private Reply route(HttpExchange exchange, TrainingStatus status) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            return Reply.text(405, method + " is not supported; use GET\n");
        }
        String path = exchange.getRequestURI().getPath();
        return switch (path) {
            case "/status" -> new Reply(200, JSON_TYPE, StatusJson.toBytes(status.snapshot()));
            case "/metrics" -> metrics(exchange.getRequestHeaders().getFirst("Accept"));
            case "/healthz" -> Reply.text(200, "ok\n");
            default -> Reply.text(404, "no such endpoint: " + path
                    + "; the trainer serves /status, /metrics and /healthz\n");
        };
    }

    private Reply metrics(String accept) throws IOException {
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? OpenMetricsTextFormatWriter.create() : PrometheusTextFormatWriter.create();
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricSnapshot m : registry.scrape()) {
            all.metricSnapshot(m);
        }
        for (MetricSnapshot m : JvmRegistry.INSTANCE.scrape()) {
            all.metricSnapshot(m);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, all.build(), EscapingScheme.fromAcceptHeader(accept));
        return new Reply(200, writer.getContentType(), body.toByteArray());
    }

    private static void respond(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.type());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.code(), head ? -1 : reply.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /**
     * The JDK server's dispatcher thread inherits daemon status from the thread that calls start(), and offers no
     * other way to set it: so start() runs on a daemon thread.
     */
    private static void startAsDaemon(HttpServer server) throws IOException {
        Thread starter = new Thread(server::start, "prefalign-status-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            throw new IOException("interrupted while starting the status server", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "prefalign-status-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * JVM and process metrics, registered once per JVM: the instrumentation adds GC notification listeners that
     * cannot be removed, so every server (tests start many) shares one registry.
     */
    private static final class JvmRegistry {
        static final PrometheusRegistry INSTANCE = create();

        private static PrometheusRegistry create() {
            PrometheusRegistry registry = new PrometheusRegistry();
            JvmMetrics.builder().register(registry);
            return registry;
        }
    }
}
