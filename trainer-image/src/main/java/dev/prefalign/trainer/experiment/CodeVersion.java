package dev.prefalign.trainer.experiment;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trainer's code version for run records: the jar's {@code Implementation-Version}, and {@code git describe} of
 * the checkout the code was loaded from when there is one (a jar built from a work tree). "unknown" when neither.
 */
public final class CodeVersion {
    private static String cached;

    private CodeVersion() {
    }

    public static synchronized String current() {
        if (cached == null) {
            cached = detect();
        }
        return cached;
    }

    private static String detect() {
        String implementation = CodeVersion.class.getPackage().getImplementationVersion();
        String git = gitDescribe();
        List<String> parts = new ArrayList<>();
        if (implementation != null && !implementation.isBlank()) {
            parts.add(implementation);
        }
        if (git != null) {
            parts.add(parts.isEmpty() ? "git " + git : "(git " + git + ")");
        }
        return parts.isEmpty() ? "unknown" : String.join(" ", parts);
    }

    private static String gitDescribe() {
        Path codeDir;
        try {
            Path location = Path.of(CodeVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            codeDir = Files.isDirectory(location) ? location : location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
        if (codeDir == null) {
            return null;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder("git", "-C", codeDir.toString(), "describe", "--always", "--dirty",
                    "--tags").redirectErrorStream(false);
            // a read-only look: no index refresh written on the user's behalf
            pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null; // no git on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
