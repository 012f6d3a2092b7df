package dev.prefalign.trainer.train;

import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.loss.AlignmentLoss;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.loss.PairScores;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.tokens.TokenizedPair;
import java.util.ArrayList;
import java.util.List;

/** DPO or ORPO over tokenized pairs: one concatenated forward of chosen and rejected rows, then the loss. */
public record PreferenceObjective(CausalLm policy, List<TokenizedPair> pairs, AlignmentLoss lossFunction,
        ReferenceSource reference, int padId) implements Objective {

    public PreferenceObjective {
        if (lossFunction.needsReference() && reference == null) {
            throw new IllegalArgumentException("this loss needs a reference model");
        }
    }

    @Override
    public int size() {
        return pairs.size();
    }

    public SequenceBatch batch(int[] indices) {
        List<TokenizedPair> selected = new ArrayList<>(indices.length);
        for (int i : indices) {
            selected.add(pairs.get(i));
        }
        return SequenceBatch.ofPairs(selected, padId);
    }

    @Override
    public LossResult loss(int[] indices) {
        SequenceBatch batch = batch(indices);
        var ref = lossFunction.needsReference() ? reference.logps(indices, batch) : null;
        return lossFunction.compute(PairScores.split(SequenceScores.of(policy, batch)), ref);
    }

    @Override
    public long tokens(int[] indices) {
        long n = 0;
        for (int i : indices) {
            n += pairs.get(i).tokens();
        }
        return n;
    }

    @Override
    public String origin(int index) {
        return pairs.get(index).origin();
    }
}
