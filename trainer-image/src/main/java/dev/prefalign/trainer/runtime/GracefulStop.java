package dev.prefalign.trainer.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Turns SIGTERM (Kubernetes preemption, eviction, suspension) and SIGINT (Ctrl-C) into a request to stop after the
 * current optimiser step, so the trainer can checkpoint and exit with "interrupted, resume me" instead of dying
 * mid-step. The JVM's default handler would start shutdown at once; a second signal still stops the process at once.
 */
public final class GracefulStop {
    private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private GracefulStop() {
    }

    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (REQUESTED.getAndSet(true)) {
                        LOG.warning("second SIG" + signal.getName() + ": stopping now without a checkpoint");
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    LOG.warning("SIG" + signal.getName() + " received: finishing the current step, then checkpointing");
                });
            } catch (IllegalArgumentException e) {
                LOG.fine("cannot handle SIG" + name + " here: " + e.getMessage());
            }
        }
    }

    public static boolean requested() {
        return REQUESTED.get();
    }

    /** For tests that simulate a signal within the process. */
    public static void request() {
        REQUESTED.set(true);
    }

    public static void reset() {
        REQUESTED.set(false);
    }
}
