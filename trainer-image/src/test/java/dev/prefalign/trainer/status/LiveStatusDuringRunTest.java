package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.train.ProgressReporter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints wired to a real run: scraped while a tiny job trains, and after it ends. */
class LiveStatusDuringRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statusAndMetricsFollowARealRun(@TempDir Path tmp) throws Exception {
        TinyJob.model(tmp.resolve("model"), 4);
        TinyJob.writePairs(tmp.resolve("prefs.jsonl"), TinyJob.pairs(200, 8).stream()
                .filter(p -> !p.chosen().equals(p.rejected())).toList());
        Path manifest = TinyJob.manifest(tmp.resolve("job.yaml"), "live", "DPO", "model", "prefs.jsonl",
                "checkpoints:\n  everySteps: 10\n  keep: 2\n",
                "batchSize: 2\nmaxSteps: 60\nlogEverySteps: 5\nlearningRate: 1.0e-3\n");
        TrainingStatus status = new TrainingStatus();
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        try (StatusServer server = StatusServer.start(0, status)) {
            Thread scraper = new Thread(() -> {
                while (!done.get()) {
                    Http.Reply reply = Http.get(server.port(), "/status");
                    assertThat(StatusSchema.violations(reply.body())).isEmpty();
                    try {
                        seen.add(JSON.readTree(reply.body()));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            scraper.start();
            RunSummary summary = JobRunner.run(JobManifests.read(manifest), SourceLocations.of(tmp, tmp.resolve("w")),
                    tmp.resolve("w"), ProgressReporter.silent(), status);
            done.set(true);
            scraper.join();

            assertThat(summary.steps()).isEqualTo(60);
            JsonNode last = JSON.readTree(Http.get(server.port(), "/status").body());
            assertThat(last.get("phase").asText()).isEqualTo("succeeded");
            assertThat(last.get("step").asLong()).isEqualTo(60);
            assertThat(last.get("totalSteps").asLong()).isEqualTo(60);
            assertThat(last.get("percent").asDouble()).isEqualTo(100.0);
            assertThat(last.get("metrics").has("rewards/accuracies")).isTrue();
            assertThat(last.get("checkpoints")).hasSize(2);
            assertThat(last.get("checkpoints").get(0).get("step").asLong()).isEqualTo(60);

            // Mid-run snapshots were seen, each consistent with itself.
            assertThat(seen).anySatisfy(s -> {
                assertThat(s.get("phase").asText()).isIn("training", "checkpointing");
                assertThat(s.get("step").asLong()).isBetween(1L, 59L);
            });
            for (JsonNode s : seen) {
                if (s.get("totalSteps").asLong() > 0) {
                    assertThat(s.get("percent").asDouble())
                            .isCloseTo(100.0 * s.get("step").asLong() / s.get("totalSteps").asLong(),
                                    org.assertj.core.data.Offset.offset(1e-9));
                }
            }

            PrometheusText.Exposition metrics = PrometheusText.parse(Http.get(server.port(), "/metrics").body());
            assertThat(metrics.value("prefalign_train_metric", "name", "rewards/accuracies")).isBetween(0.0, 1.0);
            assertThat(metrics.families()).containsKey("prefalign_step");
        }
    }
}
