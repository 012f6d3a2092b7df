package dev.prefalign.trainer.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A classic histogram of optimiser-step durations, immutable so that it travels inside a {@link StatusSnapshot}:
 * its buckets, sum and count always agree with each other and with the step they were taken at.
 *
 * @param upperBounds bucket upper bounds in seconds, increasing, the last one +Inf
 * @param bucketCounts observations per bucket (not cumulative), one per upper bound
 */
public record StepTimes(List<Double> upperBounds, List<Long> bucketCounts, double sumSeconds, long count) {

    /** From a tiny model's milliseconds to a large one's minutes. */
    static final List<Double> BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            60.0, 120.0, 300.0, Double.POSITIVE_INFINITY);

    static final StepTimes EMPTY = new StepTimes(BOUNDS, Collections.nCopies(BOUNDS.size(), 0L), 0, 0);

    public StepTimes {
        upperBounds = List.copyOf(upperBounds);
        bucketCounts = List.copyOf(bucketCounts);
        if (upperBounds.size() != bucketCounts.size() || upperBounds.isEmpty()
                || upperBounds.get(upperBounds.size() - 1) != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("step-time histogram: need one count per bound and +Inf last, got "
                    + upperBounds + " / " + bucketCounts);
        }
    }

    StepTimes observe(double seconds) {
        List<Long> counts = new ArrayList<>(bucketCounts);
        int i = 0;
        while (seconds > upperBounds.get(i)) {
            i++;
        }
        counts.set(i, counts.get(i) + 1);
        return new StepTimes(upperBounds, counts, sumSeconds + seconds, count + 1);
    }
}
