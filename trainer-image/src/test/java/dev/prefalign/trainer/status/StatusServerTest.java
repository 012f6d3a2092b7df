package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.train.TrainingPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeClock clock = new FakeClock();
    private final TrainingStatus status = clock.status();
    private final List<StatusServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(StatusServer::close);
    }

    private StatusServer start() throws IOException {
        StatusServer server = StatusServer.start(0, status);
        servers.add(server);
        return server;
    }

    /** A DPO run of 8 steps over 2 epochs, 3 steps done, evaluated and checkpointed once. */
    private void midRun() {
        status.phase(Phase.LOADING);
        status.plan(TrainingPlan.of(16, 4, 1, 2, -1));
        for (long step = 1; step <= 3; step++) {
            clock.advanceSeconds(0.2);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", 0.69 - step * 0.01);
            m.put("rewards/chosen", 0.01 * step);
            m.put("rewards/rejected", -0.01 * step);
            m.put("rewards/accuracies", 0.75);
            m.put("rewards/margins", 0.02 * step);
            m.put("logps/chosen", -40.5);
            m.put("logps/rejected", -42.25);
            m.put("grad_norm", 1.5);
            m.put("learning_rate", 5e-7);
            m.put(TrainingStatus.NUM_TOKENS, 1000.0 * step);
            status.stepDone(step, m);
            if (step == 2) {
                status.phase(Phase.EVALUATING);
                clock.advanceSeconds(5);
                status.evaluated(Map.of("eval_loss", 0.6, "eval_rewards/accuracies", 0.5));
                status.phase(Phase.CHECKPOINTING);
                clock.advanceSeconds(1);
                status.checkpointSaved(2, Path.of("/workspace/checkpoints/step-0000002"), clock.instant());
            }
        }
    }

    @Test
    void statusMirrorsTheSnapshotAndSatisfiesTheSchema() throws Exception {
        int port = start().port();
        Http.Reply initial = Http.get(port, "/status");
        assertThat(initial.code()).isEqualTo(200);
        assertThat(initial.contentType()).startsWith("application/json");
        assertThat(StatusSchema.violations(initial.body())).isEmpty();
        assertThat(JSON.readTree(initial.body()).get("phase").asText()).isEqualTo("starting");

        midRun();
        Http.Reply reply = Http.get(port, "/status");
        assertThat(StatusSchema.violations(reply.body())).isEmpty();
        JsonNode doc = JSON.readTree(reply.body());
        assertThat(doc.get("phase").asText()).isEqualTo("training");
        assertThat(doc.get("step").asLong()).isEqualTo(3);
        assertThat(doc.get("totalSteps").asLong()).isEqualTo(8);
        assertThat(doc.get("epoch").asDouble()).isEqualTo(0.75);
        assertThat(doc.get("percent").asDouble()).isEqualTo(37.5);
        assertThat(doc.get("etaSeconds").asDouble()).isCloseTo(6.6 / 3 * 5, within(1e-9));
        assertThat(doc.get("tokensPerSecond").asDouble()).isCloseTo(3000 / 6.6, within(1e-9));
        assertThat(doc.get("tokens").asLong()).isEqualTo(3000);
        assertThat(doc.get("samples").asLong()).isEqualTo(12);
        assertThat(doc.get("metrics").get("rewards/accuracies").asDouble()).isEqualTo(0.75);
        assertThat(doc.get("metrics").get("loss").asDouble()).isCloseTo(0.66, within(1e-12));
        assertThat(doc.get("evalMetrics").get("eval_loss").asDouble()).isEqualTo(0.6);
        assertThat(doc.get("checkpoints")).hasSize(1);
        assertThat(doc.get("checkpoints").get(0).get("step").asLong()).isEqualTo(2);
        assertThat(doc.get("checkpoints").get(0).get("path").asText())
                .isEqualTo("/workspace/checkpoints/step-0000002");
        assertThat(doc.get("checkpoints").get(0).get("time").asText()).isEqualTo("2025-03-01T12:00:06.400Z");
        assertThat(doc.get("startedAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(doc.get("updatedAt").asText()).isEqualTo("2025-03-01T12:00:06.600Z");
        assertThat(doc.has("message")).isFalse();
    }

    @Test
    void endStatesAndNonFiniteMetricsSatisfyTheSchema() throws Exception {
        int port = start().port();
        status.plan(TrainingPlan.of(4, 1, 1, 1, -1));
        status.stepDone(1, Map.of("loss", Double.NaN));
        status.phase(Phase.FAILED, "loss is NaN at step 1; lower training.learningRate");
        Http.Reply reply = Http.get(port, "/status");
        assertThat(StatusSchema.violations(reply.body())).isEmpty();
        JsonNode doc = JSON.readTree(reply.body());
        assertThat(doc.get("metrics").get("loss").isNull()).isTrue();
        assertThat(doc.get("phase").asText()).isEqualTo("failed");
        assertThat(doc.get("message").asText()).contains("learningRate");

        for (Phase p : Phase.values()) {
            status.phase(p);
            assertThat(StatusSchema.violations(Http.get(port, "/status").body())).as(p.name()).isEmpty();
        }
    }

    @Test
    void theSchemaKnowsEveryPhaseAndRejectsBadDocuments() throws Exception {
        JsonNode schema = JSON.readTree(StatusServerTest.class.getResourceAsStream(StatusJson.SCHEMA_RESOURCE));
        Set<String> inSchema = new java.util.HashSet<>();
        schema.get("properties").get("phase").get("enum").forEach(n -> inSchema.add(n.asText()));
        assertThat(inSchema).isEqualTo(java.util.Arrays.stream(Phase.values()).map(Phase::wireName)
                .collect(Collectors.toSet()));

        midRun();
        ObjectNode good = StatusJson.toJson(status.snapshot());
        assertThat(StatusSchema.violations(good.toString())).isEmpty();
        ObjectNode tooFar = good.deepCopy().put("percent", 120.0);
        assertThat(StatusSchema.violations(tooFar.toString())).isNotEmpty();
        ObjectNode noStep = good.deepCopy();
        noStep.remove("step");
        assertThat(StatusSchema.violations(noStep.toString())).isNotEmpty();
        ObjectNode badEval = good.deepCopy();
        ((ObjectNode) badEval.get("evalMetrics")).put("loss", 1.0);
        assertThat(StatusSchema.violations(badEval.toString())).as("eval metrics keep the eval_ prefix")
                .isNotEmpty();
        ObjectNode badTime = good.deepCopy().put("updatedAt", "yesterday");
        assertThat(StatusSchema.violations(badTime.toString())).isNotEmpty();
    }

    @Test
    void metricsAreValidPrometheusTextWithTheRunsValues() throws Exception {
        int port = start().port();
        midRun();
        Http.Reply reply = Http.get(port, "/metrics");
        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain").contains("version=0.0.4");
        PrometheusText.Exposition e = PrometheusText.parse(reply.body());

        assertThat(e.value("prefalign_step")).isEqualTo(3);
        assertThat(e.value("prefalign_total_steps")).isEqualTo(8);
        assertThat(e.value("prefalign_epoch")).isEqualTo(0.75);
        assertThat(e.value("prefalign_progress_ratio")).isEqualTo(0.375);
        assertThat(e.value("prefalign_eta_seconds")).isCloseTo(11.0, within(1e-9));
        assertThat(e.value("prefalign_tokens_per_second")).isCloseTo(3000 / 6.6, within(1e-9));
        assertThat(e.value("prefalign_loss")).isCloseTo(0.66, within(1e-12));
        assertThat(e.value("prefalign_train_metric", "name", "rewards/accuracies")).isEqualTo(0.75);
        assertThat(e.value("prefalign_train_metric", "name", "logps/rejected")).isEqualTo(-42.25);
        assertThat(e.value("prefalign_eval_metric", "name", "eval_rewards/accuracies")).isEqualTo(0.5);
        assertThat(e.family("prefalign_train_metric").type).isEqualTo("gauge");

        assertThat(e.value("prefalign_tokens_total")).isEqualTo(3000);
        assertThat(e.value("prefalign_samples_total")).isEqualTo(12);
        assertThat(e.samples("prefalign_tokens_total")).allSatisfy(s -> assertThat(s.labels()).isEmpty());
        assertThat(e.value("prefalign_checkpoints_written_total")).isEqualTo(1);
        assertThat(e.value("prefalign_last_checkpoint_step")).isEqualTo(2);

        assertThat(e.family("prefalign_step_duration_seconds").type).isEqualTo("histogram");
        assertThat(e.value("prefalign_step_duration_seconds_count")).isEqualTo(3);
        assertThat(e.value("prefalign_step_duration_seconds_sum")).isCloseTo(0.6, within(1e-9));
        assertThat(e.value("prefalign_step_duration_seconds_bucket", "le", "0.1")).isZero();
        assertThat(e.value("prefalign_step_duration_seconds_bucket", "le", "0.25")).isEqualTo(3);

        for (Phase p : Phase.values()) {
            assertThat(e.value("prefalign_phase", "phase", p.wireName())).as(p.name())
                    .isEqualTo(p == Phase.TRAINING ? 1 : 0);
        }
        assertThat(e.value("prefalign_last_update_timestamp_seconds"))
                .isEqualTo(clock.instant().toEpochMilli() / 1000.0);

        assertThat(e.family("jvm_memory_used_bytes").samples).isNotEmpty();
        assertThat(e.families()).containsKey("jvm_threads_current");
        assertThat(e.value("process_resident_memory_bytes")).isPositive();
        assertThat(e.value("prefalign_resident_memory_peak_bytes")).isPositive();
        assertThat(e.families().keySet()).allSatisfy(name -> assertThat(name).matches("[a-zA-Z_:][a-zA-Z0-9_:]*"));
    }

    @Test
    void metricsBeforeTheFirstStepLeaveOutWhatIsNotKnown() throws Exception {
        int port = start().port();
        PrometheusText.Exposition e = PrometheusText.parse(Http.get(port, "/metrics").body());
        assertThat(e.value("prefalign_step")).isZero();
        assertThat(e.value("prefalign_phase", "phase", "starting")).isEqualTo(1);
        assertThat(e.value("prefalign_step_duration_seconds_count")).isZero();
        assertThat(e.families()).doesNotContainKeys("prefalign_eta_seconds", "prefalign_train_metric",
                "prefalign_last_checkpoint_step", "prefalign_loss");
    }

    @Test
    void nanLossIsNanInPrometheus() throws Exception {
        int port = start().port();
        status.stepDone(1, Map.of("loss", Double.NaN));
        PrometheusText.Exposition e = PrometheusText.parse(Http.get(port, "/metrics").body());
        assertThat(e.value("prefalign_loss")).isNaN();
        assertThat(e.value("prefalign_train_metric", "name", "loss")).isNaN();
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        int port = start0();
        Http.Reply reply = Http.send(port, "/metrics", "GET",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/openmetrics-text");
        assertThat(reply.body()).contains("prefalign_step ").endsWith("# EOF\n");
    }

    @Test
    void healthUnknownPathsAndMethods() {
        int port = start0();
        Http.Reply health = Http.get(port, "/healthz");
        assertThat(health.code()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(Http.get(port, "/").code()).isEqualTo(404);
        assertThat(Http.get(port, "/statusx").code()).isEqualTo(404);
        assertThat(Http.get(port, "/status/extra").code()).isEqualTo(404);
        Http.Reply missing = Http.get(port, "/metric");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.body()).contains("/status", "/metrics", "/healthz");
        assertThat(Http.send(port, "/status", "POST", null).code()).isEqualTo(405);
        assertThat(Http.send(port, "/status", "HEAD", null).code()).isEqualTo(200);
        assertThat(Http.get(port, "/status?pretty").code()).isEqualTo(200);
    }

    @Test
    void bindsAllInterfacesOnDaemonThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        StatusServer server = start();
        assertThat(server.port()).isPositive();
        assertThat(server.enabled()).isTrue();
        assertThat(server.address().getAddress().isAnyLocalAddress()).isTrue();
        Http.get(server.port(), "/healthz");
        List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("HTTP-Dispatcher") || t.getName().startsWith("prefalign-status"))
                .toList();
        assertThat(started).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        StatusServer first = start();
        assertThatThrownBy(() -> StatusServer.start(first.port(), status))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("port " + first.port())
                .hasMessageContaining("--status-port");
    }

    @Test
    void aNegativePortDisablesTheServer() throws Exception {
        try (StatusServer off = StatusServer.start(-1, status)) {
            assertThat(off.enabled()).isFalse();
            assertThat(off.port()).isEqualTo(-1);
        }
    }

    @Test
    void aPortOutOfRangeIsAClearError() {
        assertThatThrownBy(() -> StatusServer.start(70_000, status)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--status-port").hasMessageContaining("70000");
    }

    @Test
    void closingFreesThePort() throws Exception {
        StatusServer server = StatusServer.start(0, status);
        int port = server.port();
        server.close();
        try (StatusServer again = StatusServer.start(port, status)) {
            assertThat(Http.get(again.port(), "/healthz").code()).isEqualTo(200);
        }
    }

    private int start0() {
        try {
            return start().port();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
