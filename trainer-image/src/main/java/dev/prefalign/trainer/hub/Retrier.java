package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Bounded retries with exponential backoff and jitter for what may pass (5xx, 429, I/O errors, a cut-off body); a
 * client error (4xx) or a bad checksum fails at once, because asking again gets the same answer.
 */
final class Retrier {
    private static final Logger LOG = Logger.getLogger(Retrier.class.getName());

    /** One attempt; {@code attempt} counts from 1. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    private final HubSettings settings;
    private final Redactor redactor;

    Retrier(HubSettings settings, Redactor redactor) {
        this.settings = settings;
        this.redactor = redactor;
    }

    <T> T call(String subject, Attempt<T> attempt) throws HubException {
        for (int i = 1; ; i++) {
            HubException failure;
            try {
                return attempt.run(i);
            } catch (HubException e) {
                failure = e;
            } catch (IOException e) {
                failure = redactor.networkError(subject, e);
            }
            if (!failure.kind().retryable()) {
                throw failure;
            }
            if (i >= settings.maxAttempts()) {
                if (i == 1) {
                    throw failure;
                }
                throw new HubException(failure.kind(), failure.getMessage() + " (gave up after " + i + " attempts)",
                        failure.getCause());
            }
            long waitMillis = backoffMillis(i, failure.retryAfterSeconds());
            LOG.warning(failure.getMessage() + "; attempt " + i + " of " + settings.maxAttempts() + ", trying again in "
                    + waitMillis + " ms");
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(HubException.Kind.NETWORK, subject + ": interrupted while waiting to retry", e);
            }
        }
    }

    /** initial × 2^(attempt-1), at most maxBackoff, ±20 % so that pods do not retry in step; Retry-After wins. */
    long backoffMillis(int attempt, long retryAfterSeconds) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long base = Math.min(max, initial * (1L << Math.min(20, attempt - 1)));
        long jittered = Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (retryAfterSeconds > 0) {
            jittered = Math.max(jittered, Math.min(retryAfterSeconds * 1000, Math.max(max, 60_000)));
        }
        return Math.max(0, jittered);
    }
}
