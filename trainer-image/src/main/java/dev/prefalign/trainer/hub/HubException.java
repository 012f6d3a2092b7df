package dev.prefalign.trainer.hub;

import java.io.IOException;

/**
 * A download from the Hub failed. The message names the source and the file and says what to do; it never holds the
 * token. {@link Kind#badInput()} tells the CLI whether retrying the job can help.
 */
public final class HubException extends IOException {

    /** What went wrong; decides retries inside the downloader and the exit code outside. */
    public enum Kind {
        /** 401/403: gated, private, or a token without access. */
        ACCESS_DENIED(true, false),
        /** 404: no such repository, revision or file. */
        NOT_FOUND(true, false),
        /** A dataset has no files for the requested split, in the repository or in the Hub's Parquet conversion. */
        NO_SUCH_SPLIT(true, false),
        /** The repository lacks what the trainer can read (no config.json, no safetensors weights). */
        UNSUPPORTED_REPOSITORY(true, false),
        /** HF_HUB_OFFLINE is set and the cache does not hold the source. */
        OFFLINE(true, false),
        /** A 4xx the Hub will answer the same way again. */
        REJECTED(true, false),
        /** 5xx. */
        SERVER_ERROR(false, true),
        /** 429: the Hub asks to slow down; worth waiting for. */
        RATE_LIMITED(false, true),
        /** A CDN refused a download link the Hub gave (signed links expire); a fresh link is asked for. */
        LINK_REFUSED(false, true),
        /** Connection refused or reset, a timeout. */
        NETWORK(false, true),
        /** The body ended before all its bytes arrived. */
        TRUNCATED(false, true),
        /** More bytes than announced. */
        SIZE_MISMATCH(false, false),
        /** The bytes do not hash to the Hub's ETag. */
        CHECKSUM_MISMATCH(false, false),
        /** The files served belong to another commit than the one the revision resolved to. */
        REVISION_CHANGED(false, false),
        /** The cache folder cannot be written (disk full, permissions). */
        STORAGE(false, false),
        /** A response the downloader cannot make sense of (bad JSON, a redirect without a Location, ...). */
        PROTOCOL(false, false);

        private final boolean badInput;
        private final boolean retryable;

        Kind(boolean badInput, boolean retryable) {
            this.badInput = badInput;
            this.retryable = retryable;
        }

        /** Retrying the job cannot help: the manifest or the token must change. */
        public boolean badInput() {
            return badInput;
        }

        /** Worth another attempt inside this run, after a pause. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    /** Seconds the server asked us to wait (Retry-After), or -1. */
    private final long retryAfterSeconds;

    public HubException(Kind kind, String message) {
        this(kind, message, null, -1);
    }

    public HubException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, -1);
    }

    HubException(Kind kind, String message, Throwable cause, long retryAfterSeconds) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public boolean badInput() {
        return kind.badInput();
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
