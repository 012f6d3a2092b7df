package dev.prefalign.trainer.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The order examples are visited in: file order without shuffling, else a permutation that depends only on the seed and
 * the epoch, so a resumed run can recompute exactly where it was from the step number alone.
 */
public record DataOrder(int size, boolean shuffle, long seed) {

    public int[] epoch(int epoch) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Indices of micro-batch {@code k} of an epoch's order (the last one may be short). */
    public static int[] microBatch(int[] order, int k, int batchSize) {
        int from = k * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }
}
