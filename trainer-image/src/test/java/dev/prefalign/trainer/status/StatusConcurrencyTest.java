package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.train.TrainingPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A training thread reports 10,000 steps (with checkpoints, retention and evaluations) while a scraper thread reads
 * /status and /metrics as fast as it can: every document and every exposition must be one step's consistent view.
 */
class StatusConcurrencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEPS = 10_000;
    private static final long TOKENS_PER_STEP = 128;
    /** 3,000 pairs in batches of 4 accumulating 2: 375 steps an epoch; maxSteps caps the run at 10,000. */
    private static final TrainingPlan PLAN = TrainingPlan.of(3000, 4, 2, 100, STEPS);

    @Test
    void everyScrapeSeesOneConsistentStep() throws Exception {
        TrainingStatus status = new TrainingStatus();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean trainingDone = new AtomicBoolean();
        CountDownLatch scraping = new CountDownLatch(1);
        AtomicInteger statusScrapes = new AtomicInteger();
        AtomicInteger metricsScrapes = new AtomicInteger();
        Set<Long> stepsSeen = ConcurrentHashMap.newKeySet();

        try (StatusServer server = StatusServer.start(0, status)) {
            Thread trainer = new Thread(() -> train(status, scraping, trainingDone), "test-trainer");
            Thread scraper = new Thread(() -> {
                scraping.countDown();
                boolean last = false;
                while (!last) {
                    last = trainingDone.get();
                    stepsSeen.add(checkStatus(Http.get(server.port(), "/status")));
                    statusScrapes.incrementAndGet();
                    stepsSeen.add(checkMetrics(Http.get(server.port(), "/metrics")));
                    metricsScrapes.incrementAndGet();
                }
            }, "test-scraper");
            trainer.setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            scraper.setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            scraper.start();
            trainer.start();
            trainer.join(TimeUnit.MINUTES.toMillis(2));
            trainingDone.set(true);
            scraper.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(trainer.isAlive() || scraper.isAlive()).as("threads finished in time").isFalse();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed: " + failure.get(), failure.get());
        }
        assertThat(status.snapshot().step()).isEqualTo(STEPS);
        assertThat(stepsSeen).as("the last scrape came after the last step").contains(STEPS);
        assertThat(stepsSeen.stream().filter(s -> s > 0 && s < STEPS).count())
                .as("scrapes overlapped training (%d /status, %d /metrics)", statusScrapes.get(),
                        metricsScrapes.get())
                .isGreaterThanOrEqualTo(5);
    }

    private static void train(TrainingStatus status, CountDownLatch scraping, AtomicBoolean done) {
        try {
            scraping.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        status.phase(Phase.LOADING, "tokenizing");
        status.plan(PLAN);
        for (long step = 1; step <= STEPS; step++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", step / 1000.0);
            m.put("marker", (double) step);
            m.put(TrainingStatus.NUM_TOKENS, (double) (TOKENS_PER_STEP * step));
            status.stepDone(step, m);
            if (step % 2500 == 0) {
                status.phase(Phase.EVALUATING);
                status.evaluated(Map.of("eval_loss", step / 1000.0));
            }
            if (step % 1000 == 0) {
                status.phase(Phase.CHECKPOINTING);
                status.checkpointSaved(step, Path.of("/workspace/checkpoints/step-" + step), Instant.now());
                status.checkpointRemoved(step - 2000);
            }
            LockSupport.parkNanos(50_000);
        }
        status.phase(Phase.SUCCEEDED);
        done.set(true);
    }

    /** Checks one /status document against itself; returns its step. */
    private static long checkStatus(Http.Reply reply) {
        assertThat(reply.code()).isEqualTo(200);
        assertThat(StatusSchema.violations(reply.body())).isEmpty();
        JsonNode doc;
        try {
            doc = JSON.readTree(reply.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        long step = doc.get("step").asLong();
        String phase = doc.get("phase").asText();
        if (doc.get("totalSteps").asLong() == 0) {
            assertThat(step).isZero();
            return step;
        }
        String at = "/status at step " + step;
        assertThat(doc.get("totalSteps").asLong()).as(at).isEqualTo(STEPS);
        assertThat(doc.get("percent").asDouble()).as(at).isEqualTo(100.0 * step / STEPS);
        assertThat(doc.get("epoch").asDouble()).as(at).isEqualTo(PLAN.epochProgress(step));
        assertThat(doc.get("samples").asLong()).as(at).isEqualTo(TrainingStatus.samples(PLAN, step));
        if (step == 0) {
            return step;
        }
        assertThat(doc.get("tokens").asLong()).as(at).isEqualTo(TOKENS_PER_STEP * step);
        assertThat(doc.get("metrics").get("marker").asLong()).as(at).isEqualTo(step);
        assertThat(doc.get("metrics").get("loss").asDouble()).as(at).isEqualTo(step / 1000.0);
        long newest = doc.get("checkpoints").size() == 0 ? 0 : doc.get("checkpoints").get(0).get("step").asLong();
        assertThat(newest).as(at).isIn(step / 1000 * 1000, step % 1000 == 0 ? step - 1000 : -1);
        assertThat(doc.get("checkpoints").size()).as(at).isLessThanOrEqualTo(2);
        if (phase.equals("checkpointing")) {
            assertThat(step % 1000).as(at).isZero();
        }
        if (phase.equals("evaluating")) {
            assertThat(step % 2500).as(at).isZero();
        }
        JsonNode evalLoss = doc.get("evalMetrics").get("eval_loss");
        if (evalLoss != null) {
            long evalStep = Math.round(evalLoss.asDouble() * 1000);
            assertThat(evalStep).as(at).isLessThanOrEqualTo(step).isIn(step / 2500 * 2500, step / 2500 * 2500 - 2500);
        }
        return step;
    }

    /** Checks one /metrics exposition against itself; returns its step. */
    private static long checkMetrics(Http.Reply reply) {
        assertThat(reply.code()).isEqualTo(200);
        PrometheusText.Exposition e = PrometheusText.parse(reply.body());
        long step = Math.round(e.value("prefalign_step"));
        String at = "/metrics at step " + step;
        long phases = e.samples("prefalign_phase").stream().filter(s -> s.value() == 1).count();
        assertThat(phases).as(at + ": one phase at a time").isEqualTo(1);
        if (e.value("prefalign_total_steps") == 0) {
            return step;
        }
        assertThat(e.value("prefalign_progress_ratio")).as(at).isCloseTo((double) step / STEPS, within(1e-12));
        assertThat(e.value("prefalign_epoch")).as(at).isCloseTo(PLAN.epochProgress(step), within(1e-12));
        assertThat(e.value("prefalign_samples_total")).as(at).isEqualTo(TrainingStatus.samples(PLAN, step));
        assertThat(e.value("prefalign_step_duration_seconds_count")).as(at).isEqualTo(step);
        if (step == 0) {
            return step;
        }
        assertThat(e.value("prefalign_tokens_total")).as(at).isEqualTo(TOKENS_PER_STEP * step);
        assertThat(e.value("prefalign_train_metric", "name", "marker")).as(at).isEqualTo(step);
        assertThat(e.value("prefalign_loss")).as(at).isEqualTo(step / 1000.0);
        long written = Math.round(e.value("prefalign_checkpoints_written_total"));
        assertThat(written).as(at).isIn(step / 1000, step % 1000 == 0 ? step / 1000 - 1 : -1);
        if (written > 0) {
            assertThat(e.value("prefalign_last_checkpoint_step")).as(at).isEqualTo(written * 1000);
        }
        return step;
    }
}
