package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How to reach the Hugging Face Hub. Read once from the environment with huggingface_hub's variable names, so a
 * machine set up for the Python tools works unchanged. The token is a secret: {@link #toString()} never shows it and
 * nothing in this package puts it into a log line or an exception message.
 *
 * @param endpoint        the Hub's base URL, without a trailing slash ({@code HF_ENDPOINT})
 * @param token           the access token, or null ({@code HF_TOKEN})
 * @param offline         no network: only complete downloads in the cache are used ({@code HF_HUB_OFFLINE})
 * @param connectTimeout  how long to wait for a connection
 * @param readTimeout     how long a response may stay silent, headers or body ({@code HF_HUB_DOWNLOAD_TIMEOUT})
 * @param maxAttempts     attempts per request on 5xx, 429 and I/O errors (1 = no retry)
 * @param initialBackoff  wait before the second attempt; doubled after each further failure
 * @param maxBackoff      the longest wait between attempts
 */
public record HubSettings(String endpoint, String token, boolean offline, Duration connectTimeout,
        Duration readTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** System properties that override the environment: the JVM cannot change its own environment, tests can these. */
    public static final String ENDPOINT_PROPERTY = "prefalign.hf.endpoint";
    public static final String TOKEN_PROPERTY = "prefalign.hf.token";
    public static final String OFFLINE_PROPERTY = "prefalign.hf.offline";
    public static final String ATTEMPTS_PROPERTY = "prefalign.hf.attempts";

    public HubSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("the Hub endpoint is empty; unset HF_ENDPOINT or give a URL such as "
                    + DEFAULT_ENDPOINT);
        }
        endpoint = endpoint.strip();
        while (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        URI uri = URI.create(endpoint);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' is not an http(s) URL such as "
                    + DEFAULT_ENDPOINT);
        }
        token = token == null || token.isBlank() ? null : token.strip();
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
    }

    /** Defaults for an endpoint and token: 10 s to connect, 60 s of silence, 5 attempts from 1 s up to 30 s apart. */
    public static HubSettings of(String endpoint, String token) {
        return new HubSettings(endpoint, token, false, Duration.ofSeconds(10), Duration.ofSeconds(60), 5,
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /**
     * The process's settings: system properties {@code prefalign.hf.endpoint}, {@code prefalign.hf.token},
     * {@code prefalign.hf.offline} first, then {@code HF_ENDPOINT}, {@code HF_TOKEN} (or the older
     * {@code HUGGING_FACE_HUB_TOKEN}, or the file {@code huggingface-cli login} writes: {@code HF_TOKEN_PATH},
     * {@code $HF_HOME/token}, {@code ~/.cache/huggingface/token}), {@code HF_HUB_OFFLINE} and
     * {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds); attempts per request from {@code prefalign.hf.attempts} or
     * {@code PREFALIGN_HF_ATTEMPTS} (default 5).
     */
    public static HubSettings fromEnvironment() {
        return from(System::getProperty, System::getenv, Path.of(System.getProperty("user.home", ".")));
    }

    static HubSettings from(UnaryOperator<String> properties, UnaryOperator<String> env, Path home) {
        String endpoint = firstSet(properties.apply(ENDPOINT_PROPERTY), env.apply("HF_ENDPOINT"), DEFAULT_ENDPOINT);
        String token = firstSet(properties.apply(TOKEN_PROPERTY), env.apply("HF_TOKEN"),
                env.apply("HUGGING_FACE_HUB_TOKEN"));
        if (token == null) {
            token = tokenFile(env, home);
        }
        boolean offline = isTrue(firstSet(properties.apply(OFFLINE_PROPERTY), env.apply("HF_HUB_OFFLINE")));
        HubSettings defaults = of(endpoint, token);
        Duration readTimeout = defaults.readTimeout();
        String timeout = env.apply("HF_HUB_DOWNLOAD_TIMEOUT");
        if (timeout != null && !timeout.isBlank()) {
            try {
                readTimeout = Duration.ofMillis(Math.round(Double.parseDouble(timeout.strip()) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HF_HUB_DOWNLOAD_TIMEOUT '" + timeout + "' is not a number of "
                        + "seconds", e);
            }
        }
        int attempts = defaults.maxAttempts();
        String attemptsText = firstSet(properties.apply(ATTEMPTS_PROPERTY), env.apply("PREFALIGN_HF_ATTEMPTS"));
        if (attemptsText != null) {
            try {
                attempts = Integer.parseInt(attemptsText.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PREFALIGN_HF_ATTEMPTS '" + attemptsText + "' is not a whole number",
                        e);
            }
        }
        return new HubSettings(endpoint, token, offline, defaults.connectTimeout(), readTimeout, attempts,
                defaults.initialBackoff(), defaults.maxBackoff());
    }

    public boolean hasToken() {
        return token != null;
    }

    public HubSettings withRetries(int attempts, Duration initial, Duration max) {
        return new HubSettings(endpoint, token, offline, connectTimeout, readTimeout, attempts, initial, max);
    }

    public HubSettings withTimeouts(Duration connect, Duration read) {
        return new HubSettings(endpoint, token, offline, connect, read, maxAttempts, initialBackoff, maxBackoff);
    }

    public HubSettings withOffline(boolean value) {
        return new HubSettings(endpoint, token, value, connectTimeout, readTimeout, maxAttempts, initialBackoff,
                maxBackoff);
    }

    /** The token is shown only as present or absent. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (hasToken() ? "<set>" : "<none>") + ", offline="
                + offline + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", maxAttempts="
                + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + "]";
    }

    private static String tokenFile(UnaryOperator<String> env, Path home) {
        String explicit = env.apply("HF_TOKEN_PATH");
        String hfHome = env.apply("HF_HOME");
        Path file = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : hfHome != null && !hfHome.isBlank() ? Path.of(hfHome, "token")
                : home.resolve(".cache/huggingface/token");
        try {
            return Files.isRegularFile(file) ? firstSet(Files.readString(file, StandardCharsets.UTF_8).strip()) : null;
        } catch (IOException e) {
            // An unreadable token file means "no token": the Hub's 401 then says what is missing.
            return null;
        }
    }

    private static boolean isTrue(String value) {
        return value != null && switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
