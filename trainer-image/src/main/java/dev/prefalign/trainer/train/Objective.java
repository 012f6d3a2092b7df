package dev.prefalign.trainer.train;

import dev.prefalign.trainer.loss.LossResult;

/**
 * What one training or evaluation batch computes: the loss of the examples at the given indices of a tokenized
 * dataset. Called inside an NDScope; the loss carries gradients when called inside a GradientCollector.
 */
public sealed interface Objective permits PreferenceObjective, SftObjective {

    int size();

    LossResult loss(int[] indices);

    /** Non-padding tokens the batch feeds through the policy, for throughput. */
    long tokens(int[] indices);

    /** Where example i came from (file and row), for per-example output. */
    String origin(int index);
}
