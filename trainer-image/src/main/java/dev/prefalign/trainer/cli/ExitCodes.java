package dev.prefalign.trainer.cli;

import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.trainer.job.JobException;
import picocli.CommandLine;

/**
 * Exit codes that tell Kubernetes (through the Job's podFailurePolicy) whether retrying can help: bad input fails the
 * job at once, anything else is a crash worth a retry.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int CRASHED = 1;
    public static final int BAD_INPUT = 2;
    /** Stopped by SIGTERM/SIGINT after writing a checkpoint: run again to resume. */
    public static final int INTERRUPTED = 3;

    private ExitCodes() {
    }

    static int of(Throwable t) {
        return isBadInput(t) ? BAD_INPUT : CRASHED;
    }

    static boolean isBadInput(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JobException || c instanceof ManifestException) {
                return true;
            }
        }
        return false;
    }

    /** Prints one clear line (and the stack trace only for crashes) instead of picocli's default dump. */
    static final class Handler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (isBadInput(e)) {
                cmd.getErr().println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            cmd.getErr().println("crashed: " + e);
            e.printStackTrace(cmd.getErr());
            return CRASHED;
        }
    }
}
