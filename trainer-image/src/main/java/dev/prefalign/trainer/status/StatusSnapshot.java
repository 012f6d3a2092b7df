package dev.prefalign.trainer.status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One consistent view of a run, as the HTTP threads read it. Immutable: every update of {@link TrainingStatus}
 * builds a new one, so percent, epoch, counters and the step-time histogram always belong to the same step.
 *
 * @param message what the phase is about, or why the run failed; null when there is nothing to say
 * @param epoch fractional epoch, as transformers logs it (steps done / steps per epoch)
 * @param percent 100 * step / totalSteps, 0 until the plan is known
 * @param etaSeconds seconds until the last step at the recent pace; null until two steps were timed
 * @param tokensPerSecond over the recent steps; null until the loop reports {@code num_tokens}
 * @param tokens tokens the run has trained on (TRL's {@code num_tokens}: cumulative, resumed runs included)
 * @param samples examples (pairs for DPO and ORPO, sequences for SFT) consumed, resumed runs included
 * @param metrics the latest step's train metrics under TRL's names
 * @param evalMetrics the latest evaluation, {@code eval_}-prefixed as TRL names them
 * @param checkpoints checkpoints this process completed and did not see removed, newest first
 * @param checkpointsWritten checkpoints this process completed
 * @param lastCheckpointStep step of the newest checkpoint this process completed; null before the first
 * @param stepTimes durations of the optimiser steps this process ran (evaluation and checkpoint time excluded)
 */
public record StatusSnapshot(
        Phase phase,
        String message,
        Instant startedAt,
        Instant updatedAt,
        long step,
        long totalSteps,
        double epoch,
        double percent,
        Double etaSeconds,
        Double tokensPerSecond,
        long tokens,
        long samples,
        Map<String, Double> metrics,
        Map<String, Double> evalMetrics,
        List<Checkpoint> checkpoints,
        long checkpointsWritten,
        Long lastCheckpointStep,
        StepTimes stepTimes) {

    /** A completed checkpoint: the step it was taken after, its folder, and when it was completed. */
    public record Checkpoint(long step, Path path, Instant time) {
    }

    static StatusSnapshot initial(Instant now) {
        return new StatusSnapshot(Phase.STARTING, null, now, now, 0, 0, 0, 0, null, null, 0, 0, Map.of(), Map.of(),
                List.of(), 0, null, StepTimes.EMPTY);
    }
}
