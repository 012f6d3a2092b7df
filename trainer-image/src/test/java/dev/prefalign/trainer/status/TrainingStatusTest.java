package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prefalign.trainer.train.TrainingLoop;
import dev.prefalign.trainer.train.TrainingPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TrainingStatusTest {
    private final FakeClock clock = new FakeClock();
    private final TrainingStatus status = clock.status();

    /** 10 examples in batches of 3, accumulating 2: micro-batches 3,3,3,1 give 2 steps of 6 and 4 examples. */
    private final TrainingPlan plan = TrainingPlan.of(10, 3, 2, 3, -1);

    private static Map<String, Double> metrics(long step, long tokens) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", 1.0 / step);
        m.put("rewards/accuracies", 0.5);
        m.put(TrainingStatus.NUM_TOKENS, (double) tokens);
        return m;
    }

    @Test
    void startsEmpty() {
        StatusSnapshot s = status.snapshot();
        assertThat(s.phase()).isEqualTo(Phase.STARTING);
        assertThat(s.startedAt()).isEqualTo(FakeClock.START);
        assertThat(s.step()).isZero();
        assertThat(s.percent()).isZero();
        assertThat(s.etaSeconds()).isNull();
        assertThat(s.tokensPerSecond()).isNull();
        assertThat(s.metrics()).isEmpty();
        assertThat(s.checkpoints()).isEmpty();
        assertThat(s.stepTimes().count()).isZero();
    }

    @Test
    void stepsFollowThePlan() {
        status.phase(Phase.LOADING, "tokenizing 10 pairs");
        clock.advanceSeconds(5);
        status.plan(plan);
        assertThat(status.snapshot().phase()).isEqualTo(Phase.TRAINING);
        assertThat(status.snapshot().message()).as("a new phase drops the old message").isNull();
        assertThat(status.snapshot().totalSteps()).isEqualTo(6);

        TrainingLoop.StepListener listener = status.stepListener();
        long tokens = 0;
        for (long step = 1; step <= 6; step++) {
            clock.advanceSeconds(2);
            tokens += 100;
            listener.afterStep(step, metrics(step, tokens));
            StatusSnapshot s = status.snapshot();
            assertThat(s.step()).isEqualTo(step);
            assertThat(s.percent()).isEqualTo(100.0 * step / 6);
            assertThat(s.epoch()).isEqualTo(step / 2.0);
            assertThat(s.samples()).isEqualTo(samplesByWalkingThePlan(plan, step));
            assertThat(s.tokens()).isEqualTo(tokens);
            assertThat(s.etaSeconds()).isCloseTo(2.0 * (6 - step), within(1e-9));
            assertThat(s.tokensPerSecond()).isCloseTo(50.0, within(1e-9));
            assertThat(s.metrics()).containsEntry("loss", 1.0 / step).containsEntry("rewards/accuracies", 0.5);
            assertThat(s.updatedAt()).isEqualTo(clock.instant());
        }
        StatusSnapshot end = status.snapshot();
        assertThat(end.samples()).isEqualTo(30);
        assertThat(end.etaSeconds()).isZero();
        assertThat(end.stepTimes().count()).isEqualTo(6);
        assertThat(end.stepTimes().sumSeconds()).isCloseTo(12.0, within(1e-9));
        int twoSeconds = end.stepTimes().upperBounds().indexOf(2.5);
        assertThat(end.stepTimes().bucketCounts().get(twoSeconds)).isEqualTo(6);
    }

    /** The closed form in TrainingStatus.samples against the loop's own micro-batch walk. */
    private static long samplesByWalkingThePlan(TrainingPlan plan, long steps) {
        long n = 0;
        for (long s = 0; s < steps; s++) {
            for (int k : plan.microBatchesOf(s)) {
                n += Math.min(plan.batchSize(), plan.examples() - (long) k * plan.batchSize());
            }
        }
        return n;
    }

    @Test
    void samplesMatchTheLoopForManyShapes() {
        for (int examples : new int[] {1, 7, 64, 101}) {
            for (int batch : new int[] {1, 4, 8}) {
                for (int accumulation : new int[] {1, 3}) {
                    TrainingPlan p = TrainingPlan.of(examples, batch, accumulation, 3, -1);
                    for (long step = 0; step <= p.totalSteps(); step++) {
                        assertThat(TrainingStatus.samples(p, step)).as("%s after %d steps", p, step)
                                .isEqualTo(samplesByWalkingThePlan(p, step));
                    }
                }
            }
        }
    }

    @Test
    void ratesFollowTheRecentPace() {
        status.plan(TrainingPlan.of(1000, 1, 1, 1, -1));
        long tokens = 0;
        for (long step = 1; step <= 200; step++) {
            double seconds = step <= 100 ? 10 : 1;
            clock.advanceSeconds(seconds);
            tokens += step <= 100 ? 10 : 100;
            status.stepDone(step, metrics(step, tokens));
        }
        StatusSnapshot s = status.snapshot();
        assertThat(s.etaSeconds()).as("the slow start has left the window").isCloseTo(800.0, within(1e-6));
        assertThat(s.tokensPerSecond()).isCloseTo(100.0, within(1e-6));
    }

    @Test
    void aResumedRunDoesNotMixInTheStepsBeforeIt() {
        status.plan(plan);
        clock.advanceSeconds(3);
        status.stepDone(4, metrics(4, 4000));
        StatusSnapshot first = status.snapshot();
        assertThat(first.percent()).isEqualTo(100.0 * 4 / 6);
        assertThat(first.samples()).isEqualTo(20);
        assertThat(first.etaSeconds()).as("one timed step is not a pace").isNull();
        assertThat(first.tokensPerSecond()).isNull();
        assertThat(first.stepTimes().sumSeconds()).isCloseTo(3.0, within(1e-9));
        clock.advanceSeconds(4);
        status.stepDone(5, metrics(5, 4400));
        assertThat(status.snapshot().etaSeconds()).isCloseTo(4.0, within(1e-9));
        assertThat(status.snapshot().tokensPerSecond()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void withoutTokenCountsThroughputStaysUnknown() {
        status.plan(plan);
        for (long step = 1; step <= 3; step++) {
            clock.advanceSeconds(1);
            status.stepDone(step, Map.of("loss", 0.5));
        }
        assertThat(status.snapshot().tokensPerSecond()).isNull();
        assertThat(status.snapshot().tokens()).isZero();
        assertThat(status.snapshot().etaSeconds()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void evaluationAndCheckpointsEndTheirPhaseAndAreLeftOutOfStepTimes() {
        status.plan(plan);
        clock.advanceSeconds(1);
        status.stepDone(1, metrics(1, 10));
        status.phase(Phase.EVALUATING);
        clock.advanceSeconds(30);
        status.evaluated(Map.of("eval_loss", 0.7, "eval_rewards/margins", 0.1));
        assertThat(status.snapshot().phase()).isEqualTo(Phase.TRAINING);
        assertThat(status.snapshot().evalMetrics()).containsEntry("eval_loss", 0.7);
        assertThat(status.snapshot().metrics()).containsEntry("loss", 1.0);

        status.phase(Phase.CHECKPOINTING);
        clock.advanceSeconds(20);
        Instant t1 = clock.instant();
        status.checkpointSaved(1, Path.of("/workspace/checkpoints/step-0000001"), t1);
        assertThat(status.snapshot().phase()).isEqualTo(Phase.TRAINING);

        clock.advanceSeconds(1);
        status.stepDone(2, metrics(2, 20));
        StatusSnapshot s = status.snapshot();
        assertThat(s.stepTimes().sumSeconds()).as("only the two steps' own seconds").isCloseTo(2.0, within(1e-9));
        assertThat(s.etaSeconds()).as("the ETA keeps evaluation and checkpoint time: they come back")
                .isCloseTo(52.0 / 2 * 4, within(1e-9));
    }

    @Test
    void checkpointsAreNewestFirstAndRemovalsLeaveTheCounters() {
        Instant t = FakeClock.START;
        status.checkpointSaved(100, Path.of("/c/step-0000100"), t);
        status.checkpointSaved(300, Path.of("/c/step-0000300"), t.plusSeconds(2));
        status.checkpointSaved(200, Path.of("/c/step-0000200"), t.plusSeconds(1));
        status.checkpointRemoved(100);
        StatusSnapshot s = status.snapshot();
        assertThat(s.checkpoints()).extracting(StatusSnapshot.Checkpoint::step).containsExactly(300L, 200L);
        assertThat(s.checkpoints().get(0).path()).isEqualTo(Path.of("/c/step-0000300"));
        assertThat(s.checkpointsWritten()).isEqualTo(3);
        assertThat(s.lastCheckpointStep()).as("the newest completed, in completion order").isEqualTo(200L);
        status.checkpointSaved(300, Path.of("/c/step-0000300"), t.plusSeconds(3));
        assertThat(status.snapshot().checkpoints()).hasSize(2);
    }

    @Test
    void endedRunsStayEndedUntilToldOtherwise() {
        status.plan(plan);
        status.phase(Phase.INTERRUPTED, "SIGTERM: saving a checkpoint, then exiting");
        status.stepDone(1, metrics(1, 10));
        status.evaluated(Map.of("eval_loss", 1.0));
        status.checkpointSaved(1, Path.of("/c/1"), clock.instant());
        assertThat(status.snapshot().phase()).isEqualTo(Phase.INTERRUPTED);
        assertThat(status.snapshot().message()).isEqualTo("SIGTERM: saving a checkpoint, then exiting");
        assertThat(status.snapshot().step()).isEqualTo(1);
        status.phase(Phase.FAILED, "out of memory");
        assertThat(status.snapshot().phase()).isEqualTo(Phase.FAILED);
        assertThat(status.snapshot().message()).isEqualTo("out of memory");
    }

    @Test
    void nonFiniteMetricsBecomeNull() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", Double.NaN);
        m.put("grad_norm", Double.POSITIVE_INFINITY);
        m.put("rewards/margins", 0.25);
        status.stepDone(1, m);
        assertThat(status.snapshot().metrics()).containsEntry("loss", null).containsEntry("grad_norm", null)
                .containsEntry("rewards/margins", 0.25);
        m.put("loss", 2.0);
        assertThat(status.snapshot().metrics()).as("a copy, not the caller's map").containsEntry("loss", null);
    }

    @Test
    void concurrentWritersLoseNoUpdate() throws Exception {
        status.plan(TrainingPlan.of(20_000, 1, 1, 1, -1));
        int n = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> errors = new ArrayList<>();
        Thread stepper = new Thread(() -> {
            await(go);
            for (long s = 1; s <= n; s++) {
                status.stepDone(s, Map.of("loss", 1.0));
            }
        });
        Thread checkpointer = new Thread(() -> {
            await(go);
            for (long s = 1; s <= n; s++) {
                status.checkpointSaved(s, Path.of("/c/" + s), FakeClock.START);
                status.checkpointRemoved(s - 1);
            }
        });
        stepper.setUncaughtExceptionHandler((t, e) -> errors.add(e));
        checkpointer.setUncaughtExceptionHandler((t, e) -> errors.add(e));
        stepper.start();
        checkpointer.start();
        go.countDown();
        stepper.join(60_000);
        checkpointer.join(60_000);
        assertThat(errors).isEmpty();
        StatusSnapshot s = status.snapshot();
        assertThat(s.step()).isEqualTo(n);
        assertThat(s.stepTimes().count()).isEqualTo(n);
        assertThat(s.checkpointsWritten()).isEqualTo(n);
        assertThat(s.checkpoints()).extracting(StatusSnapshot.Checkpoint::step).containsExactly((long) n);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
