package dev.prefalign.trainer.checkpoint;

import java.nio.file.Path;
import java.time.Instant;

/** A complete checkpoint on disk: its step, folder and when it was written. */
public record SavedCheckpoint(long step, Path path, Instant time) {
}
