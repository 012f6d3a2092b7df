package dev.prefalign.trainer.job;

import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.tokens.TokenizedSequence;
import java.util.List;

/** A job's tokenized train and eval sets: pairs for DPO/ORPO, sequences for SFT (the other list is empty). */
public record TokenizedData(List<TokenizedPair> trainPairs, List<TokenizedPair> evalPairs,
        List<TokenizedSequence> trainSequences, List<TokenizedSequence> evalSequences) {

    public boolean hasEval() {
        return !evalPairs.isEmpty() || !evalSequences.isEmpty();
    }
}
