package dev.prefalign.trainer.job;

/**
 * A problem with the job's inputs that retrying cannot fix (bad manifest, missing file, malformed data): the CLI exits
 * with the "bad input" code so that Kubernetes fails the job at once instead of retrying it.
 */
public class JobException extends Exception {
    public JobException(String message) {
        super(message);
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
    }
}
