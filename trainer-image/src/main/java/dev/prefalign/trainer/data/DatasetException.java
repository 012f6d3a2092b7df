package dev.prefalign.trainer.data;

/** A dataset that cannot be read; the message names the file (and row and field where there is one) and the fix. */
public class DatasetException extends Exception {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
