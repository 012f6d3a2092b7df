package dev.prefalign.trainer.job;

import dev.prefalign.api.v1alpha1.spec.DpoSpec;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import dev.prefalign.trainer.loss.AlignmentLoss;
import dev.prefalign.trainer.loss.HingeDpoLoss;
import dev.prefalign.trainer.loss.IpoLoss;
import dev.prefalign.trainer.loss.RobustDpoLoss;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.train.TrainingSettings;
import java.util.Locale;

/** Translations from the API's spec types to the trainer's own settings: the one place where they meet. */
public final class Settings {
    private Settings() {
    }

    public static TrainingSettings training(TrainingSpec t) {
        return new TrainingSettings(
                t.getLearningRate(),
                t.getEpochs(),
                t.getMaxSteps(),
                t.getBatchSize(),
                t.getGradientAccumulationSteps(),
                t.getLrScheduler().name().toLowerCase(Locale.ROOT),
                t.getWarmupRatio(),
                t.getWeightDecay(),
                t.getMaxGradNorm(),
                t.isShuffle(),
                t.getSeed(),
                Math.max(1, t.getLogEverySteps()),
                t.getEvalEverySteps());
    }

    public static AlignmentLoss dpoLoss(DpoSpec dpo) {
        return switch (dpo.getLossType()) {
            case SIGMOID -> new SigmoidDpoLoss(dpo.getBeta(), dpo.getLabelSmoothing());
            case ROBUST -> new RobustDpoLoss(dpo.getBeta(), dpo.getLabelSmoothing());
            case HINGE -> new HingeDpoLoss(dpo.getBeta());
            case IPO -> new IpoLoss(dpo.getBeta());
        };
    }
}
