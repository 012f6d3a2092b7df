package dev.prefalign.trainer.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The /status document. Field names mirror the CR's {@code status.progress} ({@code step}, {@code totalSteps},
 * {@code epoch}, {@code percent}, {@code etaSeconds}, {@code tokensPerSecond}, {@code updatedAt}), {@code metrics}
 * and {@code checkpoints}, so the operator copies them across; the schema is {@value #SCHEMA_RESOURCE}.
 */
public final class StatusJson {
    /** Classpath location of the JSON Schema (2020-12) that every document satisfies. */
    public static final String SCHEMA_RESOURCE = "/dev/prefalign/trainer/status/status.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    public static ObjectNode toJson(StatusSnapshot s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("phase", s.phase().wireName());
        if (s.message() != null) {
            root.put("message", s.message());
        }
        root.put("step", s.step());
        root.put("totalSteps", s.totalSteps());
        root.put("epoch", s.epoch());
        root.put("percent", s.percent());
        if (s.etaSeconds() != null) {
            root.put("etaSeconds", s.etaSeconds());
        }
        if (s.tokensPerSecond() != null) {
            root.put("tokensPerSecond", s.tokensPerSecond());
        }
        root.put("tokens", s.tokens());
        root.put("samples", s.samples());
        root.put("startedAt", rfc3339(s.startedAt()));
        root.put("updatedAt", rfc3339(s.updatedAt()));
        metrics(root.putObject("metrics"), s.metrics());
        metrics(root.putObject("evalMetrics"), s.evalMetrics());
        ArrayNode checkpoints = root.putArray("checkpoints");
        for (StatusSnapshot.Checkpoint c : s.checkpoints()) {
            checkpoints.addObject()
                    .put("step", c.step())
                    .put("path", c.path().toString())
                    .put("time", rfc3339(c.time()));
        }
        return root;
    }

    public static byte[] toBytes(StatusSnapshot s) {
        try {
            return JSON.writeValueAsBytes(toJson(s));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void metrics(ObjectNode node, Map<String, Double> values) {
        values.forEach((name, value) -> {
            if (value == null) {
                node.putNull(name);
            } else {
                node.put(name, value);
            }
        });
    }

    /** Millisecond precision: enough to order updates, and what Instant.toString writes as RFC 3339 in UTC. */
    static String rfc3339(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
