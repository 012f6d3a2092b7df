package dev.prefalign.trainer.train;

/** The optimisation settings of a run, resolved from the job spec (defaults already applied there). */
public record TrainingSettings(
        double learningRate,
        int epochs,
        long maxSteps,
        int batchSize,
        int gradientAccumulationSteps,
        String lrScheduler,
        double warmupRatio,
        double weightDecay,
        double maxGradNorm,
        boolean shuffle,
        long seed,
        int logEverySteps,
        int evalEverySteps) {
}
