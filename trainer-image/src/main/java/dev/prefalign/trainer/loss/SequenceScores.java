package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.model.CausalLm;

/**
 * Per-row log-probabilities of a batch under a model: {@code sum} over completion tokens of log p(token | prefix),
 * {@code count} of completion tokens, and, for ORPO's NLL term, the same over every real token (prompt included).
 * All arrays are [N] float32 and carry gradients when the model's parameters do.
 */
public record SequenceScores(NDArray sum, NDArray count, NDArray fullSum, NDArray fullCount) {

    public NDArray average() {
        return sum.div(count);
    }

    /** Scores every row of the batch in one forward pass. */
    public static SequenceScores of(CausalLm model, SequenceBatch batch) {
        NDManager m = model.manager();
        NDArray ids = batch.inputIds(m).toDevice(m.getDevice(), false);
        long t = batch.width();
        NDArray hidden = model.hiddenStates(ids);
        // Only positions 0..T-2 predict a token; the last position's logits are never needed.
        NDArray logProbs = model.logProbabilities(hidden.get(new NDIndex(":, :{}", t - 1))); // float32
        NDArray targets = batch.targets(m).toDevice(m.getDevice(), false).expandDims(2);
        NDArray tokenLogps = logProbs.gather(targets, 2).squeeze(2); // [N, T-1]
        NDArray completion = batch.completionMask(m).toDevice(m.getDevice(), false);
        NDArray sequence = batch.sequenceMask(m).toDevice(m.getDevice(), false);
        return new SequenceScores(
                tokenLogps.mul(completion).sum(new int[] {1}),
                completion.sum(new int[] {1}),
                tokenLogps.mul(sequence).sum(new int[] {1}),
                sequence.sum(new int[] {1}));
    }

    /** Rows [from, to) of every array, e.g. the chosen half of a pair batch. */
    public SequenceScores rows(int from, int to) {
        NDIndex idx = new NDIndex("{}:{}", from, to);
        return new SequenceScores(sum.get(idx), count.get(idx), fullSum.get(idx), fullCount.get(idx));
    }
}
