package dev.prefalign.trainer.status;

import java.util.Arrays;

/**
 * The last {@link TrainingStatus#RATE_WINDOW} step completions (monotonic time, step, cumulative tokens or -1 when
 * unknown), immutable. ETA and tokens/s come from its ends, so a slow first step or an evaluation long ago fades out.
 * A step that does not follow the previous one (a resumed run, a new plan) starts the window afresh: the rates then
 * never mix two runs.
 */
record RateWindow(long[] nanos, long[] steps, long[] tokens) {
    static final RateWindow EMPTY = new RateWindow(new long[0], new long[0], new long[0]);

    RateWindow add(long atNanos, long step, long cumulativeTokens) {
        int n = nanos.length;
        if (n > 0 && step != steps[n - 1] + 1) {
            return new RateWindow(new long[] {atNanos}, new long[] {step}, new long[] {cumulativeTokens});
        }
        int keep = Math.min(n, TrainingStatus.RATE_WINDOW - 1);
        return new RateWindow(append(nanos, keep, atNanos), append(steps, keep, step),
                append(tokens, keep, cumulativeTokens));
    }

    private static long[] append(long[] values, int keep, long value) {
        long[] out = Arrays.copyOfRange(values, values.length - keep, values.length + 1);
        out[keep] = value;
        return out;
    }

    /** Seconds until {@code total} at the window's pace; null until two completions are known. */
    Double eta(long step, long total) {
        int n = nanos.length;
        if (n < 2 || total <= 0) {
            return null;
        }
        double secondsPerStep = (nanos[n - 1] - nanos[0]) / 1e9 / (steps[n - 1] - steps[0]);
        return Math.max(0, total - step) * secondsPerStep;
    }

    /** Tokens per second between the oldest and newest completions that both carry a token count. */
    Double tokensPerSecond() {
        int n = nanos.length;
        int first = 0;
        while (first < n && tokens[first] < 0) {
            first++;
        }
        if (n < 2 || first >= n - 1 || tokens[n - 1] < 0 || nanos[n - 1] <= nanos[first]) {
            return null;
        }
        return (tokens[n - 1] - tokens[first]) / ((nanos[n - 1] - nanos[first]) / 1e9);
    }
}
