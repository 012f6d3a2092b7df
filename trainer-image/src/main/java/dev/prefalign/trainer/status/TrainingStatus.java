package dev.prefalign.trainer.status;

import dev.prefalign.trainer.train.TrainingLoop;
import dev.prefalign.trainer.train.TrainingPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The live state of a run, written by the training thread (and a signal handler), read by the status server's
 * threads. Every update swaps in a new immutable {@link StatusSnapshot} with a compare-and-set, so a reader never
 * waits for a step and never sees half of one, and a writer never waits for a reader.
 *
 * <p>Wiring: {@code loop.onStep(status.stepListener())}, {@link #plan} right before the loop runs, and
 * {@link #phase} around the rest (loading, evaluating, checkpointing, exporting, the end).
 */
public final class TrainingStatus {
    /** The key under which the loop reports cumulative training tokens, as TRL logs them. */
    public static final String NUM_TOKENS = "num_tokens";
    /** Steps that ETA and tokens/s average over: recent enough to follow a change of pace, long enough to be calm. */
    static final int RATE_WINDOW = 50;

    private final InstantSource wall;
    private final LongSupplier nanoTime;
    private final AtomicReference<State> state;

    public TrainingStatus() {
        this(InstantSource.system(), System::nanoTime);
    }

    /** For tests: a wall clock for the timestamps and a monotonic one for durations. */
    TrainingStatus(InstantSource wall, LongSupplier nanoTime) {
        this.wall = wall;
        this.nanoTime = nanoTime;
        this.state = new AtomicReference<>(new State(StatusSnapshot.initial(wall.instant()), null, RateWindow.EMPTY,
                nanoTime.getAsLong()));
    }

    /** The current view; never blocks. */
    public StatusSnapshot snapshot() {
        return state.get().view();
    }

    /** Follows the loop: steps, evaluations and checkpoint writes. */
    public TrainingLoop.StepListener stepListener() {
        return new TrainingLoop.StepListener() {
            @Override
            public void afterStep(long step, Map<String, Double> metrics) {
                stepDone(step, metrics);
            }

            @Override
            public void evaluating() {
                phase(Phase.EVALUATING);
            }

            @Override
            public void evaluated(Map<String, Double> evalMetrics) {
                TrainingStatus.this.evaluated(evalMetrics);
            }

            @Override
            public void checkpointing() {
                phase(Phase.CHECKPOINTING);
            }
        };
    }

    /** Enters {@code phase} with no message. */
    public void phase(Phase phase) {
        phase(phase, null);
    }

    /** Enters {@code phase}; {@code message} (nullable) says what about, or for FAILED what went wrong. */
    public void phase(Phase phase, String message) {
        Instant now = wall.instant();
        update(s -> s.with(v -> copy(v, phase, message, now)));
    }

    /**
     * The run's shape: total steps, epoch length and batch sizes (for the sample count). Call it right before the
     * loop runs: the first step's duration is measured from here. Enters TRAINING unless the run has ended.
     */
    public void plan(TrainingPlan plan) {
        Instant now = wall.instant();
        long nanos = nanoTime.getAsLong();
        update(s -> {
            StatusSnapshot v = s.view();
            Phase phase = v.phase().terminal() ? v.phase() : Phase.TRAINING;
            StatusSnapshot next = new StatusSnapshot(phase, phase == v.phase() ? v.message() : null, v.startedAt(),
                    now, v.step(), plan.totalSteps(), epoch(plan, v.step()), percent(v.step(), plan.totalSteps()),
                    null, null, v.tokens(), samples(plan, v.step()), v.metrics(), v.evalMetrics(), v.checkpoints(),
                    v.checkpointsWritten(), v.lastCheckpointStep(), v.stepTimes());
            return new State(next, plan, RateWindow.EMPTY.add(nanos, 0, 0), nanos);
        });
    }

    /**
     * Optimiser step {@code step} (1-based: steps done) finished with these metrics. A {@value #NUM_TOKENS} entry
     * (tokens trained on so far, resumed steps included) feeds the token counter and tokens/s. Enters TRAINING unless
     * the run has ended.
     */
    public void stepDone(long step, Map<String, Double> metrics) {
        Instant now = wall.instant();
        long nanos = nanoTime.getAsLong();
        Map<String, Double> values = finiteCopy(metrics);
        Double numTokens = metrics.get(NUM_TOKENS);
        update(s -> {
            StatusSnapshot v = s.view();
            long tokens = numTokens != null && Double.isFinite(numTokens) ? numTokens.longValue() : v.tokens();
            RateWindow window = s.window().add(nanos, step, numTokens != null ? tokens : -1);
            long total = v.totalSteps();
            Phase phase = v.phase().terminal() ? v.phase() : Phase.TRAINING;
            StatusSnapshot next = new StatusSnapshot(phase, phase == v.phase() ? v.message() : null, v.startedAt(),
                    now, step, total, epoch(s.plan(), step), percent(step, total), window.eta(step, total),
                    window.tokensPerSecond(), tokens, samples(s.plan(), step), values, v.evalMetrics(),
                    v.checkpoints(), v.checkpointsWritten(), v.lastCheckpointStep(),
                    v.stepTimes().observe(Math.max(0, nanos - s.markNanos()) / 1e9));
            return new State(next, s.plan(), window, nanos);
        });
    }

    /** An evaluation finished; its metrics keep TRL's {@code eval_} names. Leaves EVALUATING for TRAINING. */
    public void evaluated(Map<String, Double> evalMetrics) {
        Instant now = wall.instant();
        long nanos = nanoTime.getAsLong();
        Map<String, Double> values = finiteCopy(evalMetrics);
        update(s -> {
            StatusSnapshot v = s.view();
            Phase phase = v.phase() == Phase.EVALUATING ? Phase.TRAINING : v.phase();
            StatusSnapshot next = new StatusSnapshot(phase, phase == v.phase() ? v.message() : null, v.startedAt(),
                    now, v.step(), v.totalSteps(), v.epoch(), v.percent(), v.etaSeconds(), v.tokensPerSecond(),
                    v.tokens(), v.samples(), v.metrics(), values, v.checkpoints(), v.checkpointsWritten(),
                    v.lastCheckpointStep(), v.stepTimes());
            return new State(next, s.plan(), s.window(), nanos);
        });
    }

    /** A checkpoint is complete on disk. Leaves CHECKPOINTING for TRAINING. */
    public void checkpointSaved(long step, Path path, Instant time) {
        Instant now = wall.instant();
        long nanos = nanoTime.getAsLong();
        StatusSnapshot.Checkpoint saved = new StatusSnapshot.Checkpoint(step, path, time);
        update(s -> {
            StatusSnapshot v = s.view();
            List<StatusSnapshot.Checkpoint> list = new ArrayList<>(v.checkpoints());
            list.removeIf(c -> c.step() == step);
            list.add(saved);
            list.sort((a, b) -> Long.compare(b.step(), a.step()));
            Phase phase = v.phase() == Phase.CHECKPOINTING ? Phase.TRAINING : v.phase();
            StatusSnapshot next = new StatusSnapshot(phase, phase == v.phase() ? v.message() : null, v.startedAt(),
                    now, v.step(), v.totalSteps(), v.epoch(), v.percent(), v.etaSeconds(), v.tokensPerSecond(),
                    v.tokens(), v.samples(), v.metrics(), v.evalMetrics(), List.copyOf(list),
                    v.checkpointsWritten() + 1, step, v.stepTimes());
            return new State(next, s.plan(), s.window(), nanos);
        });
    }

    /** Retention deleted the checkpoint of {@code step}: it leaves the list (the counters keep it). */
    public void checkpointRemoved(long step) {
        Instant now = wall.instant();
        update(s -> s.with(v -> {
            List<StatusSnapshot.Checkpoint> list = new ArrayList<>(v.checkpoints());
            list.removeIf(c -> c.step() == step);
            return new StatusSnapshot(v.phase(), v.message(), v.startedAt(), now, v.step(), v.totalSteps(),
                    v.epoch(), v.percent(), v.etaSeconds(), v.tokensPerSecond(), v.tokens(), v.samples(), v.metrics(),
                    v.evalMetrics(), List.copyOf(list), v.checkpointsWritten(), v.lastCheckpointStep(),
                    v.stepTimes());
        }));
    }

    private void update(UnaryOperator<State> change) {
        // updateAndGet may run `change` more than once when two writers race; it has no side effects.
        state.updateAndGet(change);
    }

    private static StatusSnapshot copy(StatusSnapshot v, Phase phase, String message, Instant now) {
        return new StatusSnapshot(phase, message, v.startedAt(), now, v.step(), v.totalSteps(), v.epoch(),
                v.percent(), v.etaSeconds(), v.tokensPerSecond(), v.tokens(), v.samples(), v.metrics(),
                v.evalMetrics(), v.checkpoints(), v.checkpointsWritten(), v.lastCheckpointStep(), v.stepTimes());
    }

    static double percent(long step, long total) {
        return total > 0 ? Math.min(100.0, 100.0 * step / total) : 0;
    }

    static double epoch(TrainingPlan plan, long step) {
        return plan != null ? plan.epochProgress(step) : 0;
    }

    /** Examples consumed after {@code step} steps: whole epochs, then the step's share of the current one. */
    static long samples(TrainingPlan plan, long step) {
        if (plan == null) {
            return 0;
        }
        long epochs = step / plan.stepsPerEpoch();
        long within = step % plan.stepsPerEpoch();
        long perStep = (long) plan.accumulation() * plan.batchSize();
        return epochs * plan.examples() + Math.min(plan.examples(), within * perStep);
    }

    /** JSON and Prometheus have no NaN-safe common ground, so non-finite values travel as null (see the schema). */
    private static Map<String, Double> finiteCopy(Map<String, Double> metrics) {
        Map<String, Double> copy = new LinkedHashMap<>();
        metrics.forEach((k, v) -> copy.put(k, v != null && Double.isFinite(v) ? v : null));
        return Collections.unmodifiableMap(copy);
    }

    /** What the readers see, plus what the writer needs to compute the next view. */
    private record State(StatusSnapshot view, TrainingPlan plan, RateWindow window, long markNanos) {
        State with(UnaryOperator<StatusSnapshot> change) {
            return new State(change.apply(view), plan, window, markNanos);
        }
    }
}
