package dev.prefalign.api.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stable run names, {@code <experiment>-<index>-<description>}: the description lists the method and the values the
 * run sets ({@code beta-sweep-02-dpo-beta-0.5}), so a name says what the run is. Names stay valid Kubernetes names and
 * label values (at most 63 characters; a long description is cut, the index keeps names unique).
 */
final class RunNames {
    static final int MAX_LENGTH = 63;

    private RunNames() {
    }

    static String describe(String method, List<Setting> settings) {
        List<String> parts = new ArrayList<>();
        parts.add(method == null ? "base" : method);
        for (Setting s : settings) {
            if (s.path().equals(GridAxis.METHOD)) {
                continue;
            }
            String field = s.path().substring(s.path().lastIndexOf('.') + 1);
            parts.add(abbreviate(field) + "-" + (s.value().isValueNode() ? s.value().asText() : "custom"));
        }
        return sanitize(String.join("-", parts));
    }

    static String name(String experiment, int index, int runCount, String description) {
        String prefix = experiment + "-" + pad(index, runCount) + "-";
        String desc = description.length() > MAX_LENGTH - prefix.length()
                ? description.substring(0, MAX_LENGTH - prefix.length()) : description;
        return trimEnds(prefix + desc);
    }

    /** At least two digits, so that runs list in order up to 99. */
    static String pad(int index, int count) {
        int width = Math.max(2, Integer.toString(count).length());
        return String.format(Locale.ROOT, "%0" + width + "d", index);
    }

    private static String abbreviate(String field) {
        return field.equals("learningRate") ? "lr" : field;
    }

    private static String sanitize(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("-{2,}", "-");
        return trimEnds(s);
    }

    private static String trimEnds(String s) {
        return s.replaceAll("^[-.]+", "").replaceAll("[-.]+$", "");
    }
}
