package dev.prefalign.trainer.train;

import dev.prefalign.trainer.optim.AdamW;
import java.io.IOException;

/** Persists the training state at a step boundary (the loop decides when; implementations decide where and how). */
@FunctionalInterface
public interface Checkpointer {
    void save(LoopState state, AdamW optimizer) throws IOException;

    Checkpointer NONE = (state, optimizer) -> { };
}
