package dev.prefalign.trainer.train;

import ai.djl.ndarray.NDScope;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.loss.PairScores;
import dev.prefalign.trainer.loss.ReferenceLogps;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.model.CausalLm;

/** Where DPO's reference log-probabilities come from: a frozen model run live, or values computed once beforehand. */
public sealed interface ReferenceSource {

    ReferenceLogps logps(int[] indices, SequenceBatch batch);

    /** Runs the frozen reference model on the batch (no gradients: its parameters don't require any). */
    record Live(CausalLm model) implements ReferenceSource {
        @Override
        public ReferenceLogps logps(int[] indices, SequenceBatch batch) {
            try (NDScope scope = new NDScope()) {
                PairScores s = PairScores.split(SequenceScores.of(model, batch));
                return new ReferenceLogps(s.chosenLogps(), s.rejectedLogps());
            }
        }
    }

    /** Values by example index, computed once so that no reference weights stay in memory during training. */
    record Precomputed(double[] chosen, double[] rejected) implements ReferenceSource {
        @Override
        public ReferenceLogps logps(int[] indices, SequenceBatch batch) {
            double[] c = new double[indices.length];
            double[] r = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                c[i] = chosen[indices[i]];
                r[i] = rejected[indices[i]];
            }
            return new ReferenceLogps(c, r);
        }
    }
}
