package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Keeps the token out of every message built from something outside our control (a server's error text, an I/O
 * exception): our own messages never include it, and this removes it should a server or library echo it back.
 */
final class Redactor {
    private final String token;

    Redactor(String token) {
        this.token = token;
    }

    String clean(String text) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        return text.replace(token, "<token>");
    }

    /** An I/O failure as a retryable error that says what it means for the user. */
    HubException networkError(String subject, IOException e) {
        String what;
        if (e instanceof SocketTimeoutException) {
            what = "no answer in time (" + e.getMessage() + "); HF_HUB_DOWNLOAD_TIMEOUT sets the limit in seconds";
        } else if (e instanceof UnknownHostException) {
            what = "unknown host " + e.getMessage() + " (no network or DNS, or a wrong HF_ENDPOINT)";
        } else if (e instanceof ConnectException) {
            what = "cannot connect (" + e.getMessage() + "); check the network and HF_ENDPOINT";
        } else {
            what = "network error: " + e;
        }
        // The cause keeps the stack trace for a crash report; its message is cleaned too.
        IOException cause = new IOException(clean(e.toString()));
        cause.setStackTrace(e.getStackTrace());
        return new HubException(HubException.Kind.NETWORK, clean(subject + ": " + what), cause);
    }
}
