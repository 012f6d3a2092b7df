package dev.prefalign.trainer.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Shows progress: in a terminal a single redrawn bar (step, loss, reward accuracy, tokens/s, ETA); in a log (no
 * console, as in a pod) one plain line per logging step, which log collectors handle better than carriage returns.
 */
public final class ProgressReporter {
    private final PrintStream out;
    private final boolean interactive;
    private final String label;

    public ProgressReporter(PrintStream out, boolean interactive, String label) {
        this.out = out;
        this.interactive = interactive;
        this.label = label;
    }

    public static ProgressReporter forConsole(String label) {
        return new ProgressReporter(System.err, System.console() != null, label);
    }

    public static ProgressReporter silent() {
        return new ProgressReporter(new PrintStream(PrintStream.nullOutputStream()), false, "");
    }

    public void update(long step, long total, Map<String, Double> latest, double tokensPerSecond, double etaSeconds,
            boolean logStep) {
        if (!interactive && !logStep) {
            return;
        }
        String line = format(step, total, latest, tokensPerSecond, etaSeconds);
        if (interactive) {
            out.print("\r" + line + "   ");
            if (step == total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    String format(long step, long total, Map<String, Double> latest, double tokensPerSecond, double etaSeconds) {
        int width = 24;
        int filled = total == 0 ? width : (int) (width * step / total);
        StringBuilder sb = new StringBuilder(label).append(" [");
        sb.append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "step %d/%d", step, total));
        Double loss = latest.get("loss");
        if (loss != null) {
            sb.append(String.format(Locale.ROOT, " loss %.4f", loss));
        }
        Double acc = latest.get("rewards/accuracies");
        if (acc != null) {
            sb.append(String.format(Locale.ROOT, " acc %.2f", acc));
        }
        sb.append(String.format(Locale.ROOT, " %.0f tok/s ETA %s", tokensPerSecond, duration(etaSeconds)));
        return sb.toString();
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
