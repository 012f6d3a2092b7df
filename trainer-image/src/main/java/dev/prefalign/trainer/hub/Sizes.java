package dev.prefalign.trainer.hub;

import java.util.Locale;

/** Byte counts for people: 1.2 kB, 34.5 MB, 1.1 GB (powers of 1000, as the Hub shows them). */
final class Sizes {
    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
