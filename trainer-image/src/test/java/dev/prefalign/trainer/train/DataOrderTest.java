package dev.prefalign.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The visiting order: file order without shuffling, else a seeded permutation per epoch that a resume can recompute. */
class DataOrderTest {
    private static final int N = 50;

    private static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void withoutShuffleEveryEpochIsFileOrder() {
        DataOrder order = new DataOrder(N, false, 42);
        for (int epoch = 0; epoch < 3; epoch++) {
            assertThat(order.epoch(epoch)).containsExactly(identity(N));
        }
    }

    @Test
    void shuffledEpochsArePermutations() {
        DataOrder order = new DataOrder(N, true, 42);
        for (int epoch = 0; epoch < 5; epoch++) {
            int[] e = order.epoch(epoch);
            int[] sorted = e.clone();
            Arrays.sort(sorted);
            assertThat(sorted).as("epoch %d sorted", epoch).containsExactly(identity(N));
            assertThat(e).as("epoch %d is actually shuffled", epoch).isNotEqualTo(identity(N));
        }
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrder() {
        // a new instance, as after a restart: nothing may depend on state kept between calls
        assertThat(new DataOrder(N, true, 42).epoch(3)).containsExactly(new DataOrder(N, true, 42).epoch(3));
        DataOrder order = new DataOrder(N, true, 42);
        int[] first = order.epoch(1);
        order.epoch(2);
        assertThat(order.epoch(1)).containsExactly(first);
    }

    @Test
    void ordersDifferAcrossEpochsAndSeeds() {
        DataOrder order = new DataOrder(N, true, 42);
        assertThat(order.epoch(0)).isNotEqualTo(order.epoch(1));
        assertThat(order.epoch(1)).isNotEqualTo(order.epoch(2));
        assertThat(new DataOrder(N, true, 43).epoch(0)).isNotEqualTo(order.epoch(0));
        // seed and epoch must not be interchangeable (seed 1 epoch 0 vs seed 0 epoch 1)
        assertThat(new DataOrder(N, true, 1).epoch(0)).isNotEqualTo(new DataOrder(N, true, 0).epoch(1));
    }

    @Test
    void tinySetsWork() {
        assertThat(new DataOrder(0, true, 1).epoch(0)).isEmpty();
        assertThat(new DataOrder(1, true, 1).epoch(4)).containsExactly(0);
    }
}
