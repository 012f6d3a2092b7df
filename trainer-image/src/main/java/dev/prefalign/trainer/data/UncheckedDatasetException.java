package dev.prefalign.trainer.data;

import java.util.Objects;

/** Carries a {@link DatasetException} out of a row stream, whose methods cannot throw checked exceptions. */
public final class UncheckedDatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UncheckedDatasetException(DatasetException cause) {
        super(cause.getMessage(), Objects.requireNonNull(cause));
    }

    @Override
    public synchronized DatasetException getCause() {
        return (DatasetException) super.getCause();
    }
}
