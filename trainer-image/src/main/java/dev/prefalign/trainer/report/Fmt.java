package dev.prefalign.trainer.report;

import java.util.Locale;

/** Numbers and cells as the report writes them. */
final class Fmt {
    static final String NONE = "n/a";

    private Fmt() {
    }

    /** Four decimals in the usual range, scientific notation outside it; n/a for a missing or non-finite value. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return NONE;
        }
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-3 && a < 1e5) ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.3e", v);
    }

    static String seconds(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : NONE;
    }

    static String mib(long bytes) {
        return bytes < 0 ? NONE : String.format(Locale.ROOT, "%.0f", bytes / (1024.0 * 1024.0));
    }

    /** Text that fits one Markdown table cell. */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
