package dev.prefalign.trainer.train;

import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.loss.SftLoss;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.tokens.TokenizedSequence;
import java.util.ArrayList;
import java.util.List;

/** Supervised fine-tuning over tokenized prompt/completion sequences. */
public record SftObjective(CausalLm policy, List<TokenizedSequence> sequences, int padId) implements Objective {
    private static final SftLoss LOSS = new SftLoss();

    @Override
    public int size() {
        return sequences.size();
    }

    @Override
    public LossResult loss(int[] indices) {
        List<TokenizedSequence> selected = new ArrayList<>(indices.length);
        for (int i : indices) {
            selected.add(sequences.get(i));
        }
        return LOSS.compute(SequenceScores.of(policy, SequenceBatch.ofSequences(selected, padId)));
    }

    @Override
    public long tokens(int[] indices) {
        long n = 0;
        for (int i : indices) {
            n += sequences.get(i).prompt().length + sequences.get(i).completion().length;
        }
        return n;
    }

    @Override
    public String origin(int index) {
        return sequences.get(index).origin();
    }
}
