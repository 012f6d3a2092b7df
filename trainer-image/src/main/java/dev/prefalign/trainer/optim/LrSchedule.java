package dev.prefalign.trainer.optim;

/**
 * Learning-rate multipliers as transformers' schedulers compute them (get_constant_schedule_with_warmup,
 * get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup with half a cycle); step k uses factor(k).
 */
public sealed interface LrSchedule {

    double factor(long step);

    static LrSchedule of(String kind, long totalSteps, long warmupSteps) {
        return switch (kind) {
            case "constant" -> new Constant(warmupSteps);
            case "linear" -> new Linear(totalSteps, warmupSteps);
            case "cosine" -> new Cosine(totalSteps, warmupSteps);
            default -> throw new IllegalArgumentException("unknown lrScheduler '" + kind
                    + "'; expected constant, linear or cosine");
        };
    }

    /** Warmup steps from a ratio of the total, rounded up as transformers' TrainingArguments.get_warmup_steps. */
    static long warmupSteps(double ratio, long totalSteps) {
        return (long) Math.ceil(totalSteps * ratio);
    }

    private static double warmup(long step, long warmupSteps) {
        return (double) step / Math.max(1, warmupSteps);
    }

    record Constant(long warmupSteps) implements LrSchedule {
        public double factor(long step) {
            return step < warmupSteps ? warmup(step, warmupSteps) : 1.0;
        }
    }

    record Linear(long totalSteps, long warmupSteps) implements LrSchedule {
        public double factor(long step) {
            if (step < warmupSteps) {
                return warmup(step, warmupSteps);
            }
            return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        }
    }

    record Cosine(long totalSteps, long warmupSteps) implements LrSchedule {
        public double factor(long step) {
            if (step < warmupSteps) {
                return warmup(step, warmupSteps);
            }
            double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
        }
    }
}
