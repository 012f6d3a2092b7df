package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Optimiser, schedule, batching and logging. A "step" is one optimiser step (after gradient accumulation). */
// Also checked by SpecValidator (the same rule), for local runs and as the operator's backstop.
@ValidationRule(value = "self.maxPromptLength < self.maxLength", fieldPath = ".maxPromptLength",
        message = "maxPromptLength must be less than maxLength to leave room for the completion")
@ValidationRule(value = "self.maxSteps != 0", fieldPath = ".maxSteps",
        message = "maxSteps must be -1 (train for epochs) or > 0")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {

    @Default("5.0e-7")
    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("Peak learning rate of AdamW, reached after warmup. Must be > 0.")
    private double learningRate = 5.0e-7;

    @Default("1")
    @Min(1)
    @JsonPropertyDescription("Passes over the training split. Ignored when maxSteps > 0.")
    private int epochs = 1;

    @Default("-1")
    @Min(-1)
    @JsonPropertyDescription("Stop after this many steps; overrides epochs when > 0. -1 = train for epochs.")
    private int maxSteps = -1;

    @Default("8")
    @Min(1)
    @JsonPropertyDescription("Preference pairs per device per forward pass.")
    private int batchSize = 8;

    @Default("1")
    @Min(1)
    @JsonPropertyDescription("Forward passes whose gradients are summed into one step "
            + "(effective batch = batchSize * gradientAccumulationSteps * devices).")
    private int gradientAccumulationSteps = 1;

    @Default("1024")
    @Min(2)
    @JsonPropertyDescription("Longest prompt + completion in tokens; longer completions are truncated.")
    private int maxLength = 1024;

    @Default("512")
    @Min(1)
    @JsonPropertyDescription("Longest prompt in tokens (its end is kept). Must be < maxLength.")
    private int maxPromptLength = 512;

    @Default("cosine")
    @JsonPropertyDescription("Learning-rate decay after warmup: constant, linear or cosine.")
    private LrScheduler lrScheduler = LrScheduler.COSINE;

    @Default("0.0")
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Fraction of all steps spent warming the learning rate up linearly from 0, in [0, 1].")
    private double warmupRatio = 0.0;

    @Default("0.0")
    @Min(0)
    @JsonPropertyDescription("AdamW decoupled weight decay. Must be >= 0.")
    private double weightDecay = 0.0;

    @Default("1.0")
    @Min(0)
    @JsonPropertyDescription("Clip the global L2 norm of the gradients to this value; 0 = no clipping.")
    private double maxGradNorm = 1.0;

    @Default("true")
    @JsonPropertyDescription("Shuffle the training rows each epoch (with seed); false = file order, reproducible "
            + "step for step.")
    private boolean shuffle = true;

    @Default("42")
    @Min(0)
    @JsonPropertyDescription("Seed for shuffling, the eval hold-out and initialisation.")
    private long seed = 42;

    @Default("auto")
    @JsonPropertyDescription("Numeric precision: auto (fp16 mixed precision on a GPU, fp32 on a CPU), fp32, fp16 or "
            + "bf16. The trainer logs what it actually uses.")
    private Precision precision = Precision.AUTO;

    @Default("10")
    @Min(1)
    @JsonPropertyDescription("Log and report training metrics every this many steps.")
    private int logEverySteps = 10;

    @Default("0")
    @Min(0)
    @JsonPropertyDescription("Score the eval set every this many steps; 0 = only at the end of training. "
            + "Needs dataset.evalSplit or dataset.evalFraction when > 0.")
    private int evalEverySteps = 0;

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public int getEpochs() {
        return epochs;
    }

    public void setEpochs(int epochs) {
        this.epochs = epochs;
    }

    public int getMaxSteps() {
        return maxSteps;
    }

    public void setMaxSteps(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getGradientAccumulationSteps() {
        return gradientAccumulationSteps;
    }

    public void setGradientAccumulationSteps(int gradientAccumulationSteps) {
        this.gradientAccumulationSteps = gradientAccumulationSteps;
    }

    public int getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(int maxLength) {
        this.maxLength = maxLength;
    }

    public int getMaxPromptLength() {
        return maxPromptLength;
    }

    public void setMaxPromptLength(int maxPromptLength) {
        this.maxPromptLength = maxPromptLength;
    }

    public LrScheduler getLrScheduler() {
        return lrScheduler;
    }

    public void setLrScheduler(LrScheduler lrScheduler) {
        this.lrScheduler = lrScheduler;
    }

    public double getWarmupRatio() {
        return warmupRatio;
    }

    public void setWarmupRatio(double warmupRatio) {
        this.warmupRatio = warmupRatio;
    }

    public double getWeightDecay() {
        return weightDecay;
    }

    public void setWeightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
    }

    public double getMaxGradNorm() {
        return maxGradNorm;
    }

    public void setMaxGradNorm(double maxGradNorm) {
        this.maxGradNorm = maxGradNorm;
    }

    public boolean isShuffle() {
        return shuffle;
    }

    public void setShuffle(boolean shuffle) {
        this.shuffle = shuffle;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public Precision getPrecision() {
        return precision;
    }

    public void setPrecision(Precision precision) {
        this.precision = precision;
    }

    public int getLogEverySteps() {
        return logEverySteps;
    }

    public void setLogEverySteps(int logEverySteps) {
        this.logEverySteps = logEverySteps;
    }

    public int getEvalEverySteps() {
        return evalEverySteps;
    }

    public void setEvalEverySteps(int evalEverySteps) {
        this.evalEverySteps = evalEverySteps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingSpec other
                && Double.compare(learningRate, other.learningRate) == 0
                && epochs == other.epochs
                && maxSteps == other.maxSteps
                && batchSize == other.batchSize
                && gradientAccumulationSteps == other.gradientAccumulationSteps
                && maxLength == other.maxLength
                && maxPromptLength == other.maxPromptLength
                && lrScheduler == other.lrScheduler
                && Double.compare(warmupRatio, other.warmupRatio) == 0
                && Double.compare(weightDecay, other.weightDecay) == 0
                && Double.compare(maxGradNorm, other.maxGradNorm) == 0
                && shuffle == other.shuffle
                && seed == other.seed
                && precision == other.precision
                && logEverySteps == other.logEverySteps
                && evalEverySteps == other.evalEverySteps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, epochs, maxSteps, batchSize, gradientAccumulationSteps, maxLength,
                maxPromptLength, lrScheduler, warmupRatio, weightDecay, maxGradNorm, shuffle, seed, precision,
                logEverySteps, evalEverySteps);
    }

    @Override
    public String toString() {
        return "TrainingSpec{learningRate=" + learningRate + ", epochs=" + epochs + ", maxSteps=" + maxSteps
                + ", batchSize=" + batchSize + ", gradientAccumulationSteps=" + gradientAccumulationSteps
                + ", maxLength=" + maxLength + ", maxPromptLength=" + maxPromptLength + ", lrScheduler=" + lrScheduler
                + ", warmupRatio=" + warmupRatio + ", weightDecay=" + weightDecay + ", maxGradNorm=" + maxGradNorm
                + ", shuffle=" + shuffle + ", seed=" + seed + ", precision=" + precision
                + ", logEverySteps=" + logEverySteps + ", evalEverySteps=" + evalEverySteps + "}";
    }
}
