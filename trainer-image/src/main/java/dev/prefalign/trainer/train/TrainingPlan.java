package dev.prefalign.trainer.train;

/**
 * How many optimiser steps a run takes: ceil(examples / batchSize) micro-batches per epoch grouped by
 * gradientAccumulationSteps (the last group may be shorter), times epochs, unless maxSteps > 0 overrides it.
 */
public record TrainingPlan(int examples, int batchSize, int accumulation, int stepsPerEpoch, long totalSteps) {

    public static TrainingPlan of(int examples, int batchSize, int accumulation, int epochs, long maxSteps) {
        if (examples == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        int microBatches = (examples + batchSize - 1) / batchSize;
        int steps = (microBatches + accumulation - 1) / accumulation;
        long total = maxSteps > 0 ? maxSteps : (long) steps * epochs;
        return new TrainingPlan(examples, batchSize, accumulation, steps, total);
    }

    public int microBatchesPerEpoch() {
        return (examples + batchSize - 1) / batchSize;
    }

    public int epochOf(long step) {
        return (int) (step / stepsPerEpoch);
    }

    /** Fractional epoch after {@code step} steps, as transformers logs it. */
    public double epochProgress(long step) {
        return (double) step / stepsPerEpoch;
    }

    /** The micro-batch numbers (within the epoch) that optimiser step {@code step} consumes. */
    public int[] microBatchesOf(long step) {
        int first = (int) (step % stepsPerEpoch) * accumulation;
        int last = Math.min(microBatchesPerEpoch(), first + accumulation);
        int[] ks = new int[last - first];
        for (int i = 0; i < ks.length; i++) {
            ks[i] = first + i;
        }
        return ks;
    }
}
