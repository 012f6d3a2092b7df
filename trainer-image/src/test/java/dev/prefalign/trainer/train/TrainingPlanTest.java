package dev.prefalign.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step counts, which micro-batches a step consumes, and epoch progress, as transformers' Trainer counts them. */
class TrainingPlanTest {

    @Test
    void stepsPerEpochGroupMicroBatchesWithAShortLastGroup() {
        // 10 examples / batch 3 -> 4 micro-batches (the last holds 1 example); 3 per step -> 2 steps: [0,1,2] and [3]
        TrainingPlan plan = TrainingPlan.of(10, 3, 3, 3, -1);
        assertThat(plan.microBatchesPerEpoch()).isEqualTo(4);
        assertThat(plan.stepsPerEpoch()).isEqualTo(2);
        assertThat(plan.totalSteps()).isEqualTo(6);
        assertThat(plan.microBatchesOf(0)).containsExactly(0, 1, 2);
        assertThat(plan.microBatchesOf(1)).containsExactly(3);
        // the next epoch starts over at micro-batch 0
        assertThat(plan.microBatchesOf(2)).containsExactly(0, 1, 2);
        assertThat(plan.microBatchesOf(5)).containsExactly(3);
    }

    @Test
    void exactDivisionHasNoShortGroup() {
        TrainingPlan plan = TrainingPlan.of(16, 4, 2, 1, 0);
        assertThat(plan.stepsPerEpoch()).isEqualTo(2);
        assertThat(plan.totalSteps()).isEqualTo(2);
        assertThat(plan.microBatchesOf(0)).containsExactly(0, 1);
        assertThat(plan.microBatchesOf(1)).containsExactly(2, 3);
    }

    @Test
    void everyExampleIsVisitedOncePerEpoch() {
        TrainingPlan plan = TrainingPlan.of(11, 2, 4, 2, -1);
        DataOrder order = new DataOrder(11, true, 5);
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] epochOrder = order.epoch(epoch);
            List<Integer> seen = new ArrayList<>();
            for (long step = (long) epoch * plan.stepsPerEpoch(); step < (epoch + 1L) * plan.stepsPerEpoch(); step++) {
                assertThat(plan.epochOf(step)).isEqualTo(epoch);
                for (int k : plan.microBatchesOf(step)) {
                    for (int i : DataOrder.microBatch(epochOrder, k, plan.batchSize())) {
                        seen.add(i);
                    }
                }
            }
            assertThat(seen).as("epoch %d", epoch).hasSize(11).doesNotHaveDuplicates();
        }
    }

    @Test
    void maxStepsOverridesEpochsInBothDirections() {
        TrainingPlan shorter = TrainingPlan.of(10, 3, 3, 3, 5);
        assertThat(shorter.totalSteps()).isEqualTo(5);
        TrainingPlan longer = TrainingPlan.of(10, 3, 3, 1, 7);
        assertThat(longer.totalSteps()).isEqualTo(7);
        // beyond the epochs asked for, training continues into further epochs
        assertThat(longer.epochOf(6)).isEqualTo(3);
        assertThat(longer.microBatchesOf(6)).containsExactly(0, 1, 2);
    }

    @Test
    void epochProgressIsFractionalAsTransformersLogsIt() {
        TrainingPlan plan = TrainingPlan.of(10, 3, 3, 3, -1);
        assertThat(plan.epochProgress(0)).isEqualTo(0.0);
        assertThat(plan.epochProgress(1)).isEqualTo(0.5);
        assertThat(plan.epochProgress(3)).isEqualTo(1.5);
        assertThat(plan.epochProgress(6)).isEqualTo(3.0);
        assertThat(plan.epochOf(1)).isEqualTo(0);
        assertThat(plan.epochOf(2)).isEqualTo(1);
    }

    @Test
    void lastMicroBatchIsShort() {
        int[] order = new DataOrder(10, false, 0).epoch(0);
        assertThat(DataOrder.microBatch(order, 0, 3)).containsExactly(0, 1, 2);
        assertThat(DataOrder.microBatch(order, 3, 3)).containsExactly(9);
    }

    @Test
    void anEmptyTrainingSetIsAnError() {
        assertThatThrownBy(() -> TrainingPlan.of(0, 8, 1, 1, -1)).hasMessageContaining("empty");
    }
}
