package dev.prefalign.trainer.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser for the Prometheus text exposition format 0.0.4, written from its specification: HELP and TYPE at
 * most once per family and before its samples, a family's lines contiguous, valid metric and label names, label
 * values and HELP text with only the escapes the format defines, Go float syntax for values, no duplicate series,
 * and for histograms per label set: {@code le} buckets in increasing order, cumulative counts that never decrease, a
 * {@code +Inf} bucket equal to {@code _count}, and a {@code _sum}. Any violation throws with the line number.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static final class Family {
        final String name;
        String type = "untyped";
        String help;
        boolean typeSeen;
        final List<Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }
    }

    /** The parsed families, in exposition order. */
    record Exposition(Map<String, Family> families) {
        /** The one sample with this name and exactly these labels (name1, value1, ...). */
        double value(String sampleName, String... labelPairs) {
            Map<String, String> want = new TreeMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                want.put(labelPairs[i], labelPairs[i + 1]);
            }
            List<Sample> hits = samples(sampleName).stream().filter(s -> s.labels().equals(want)).toList();
            if (hits.size() != 1) {
                throw new AssertionError("expected one sample " + sampleName + want + ", found " + hits.size());
            }
            return hits.get(0).value();
        }

        List<Sample> samples(String sampleName) {
            return families.values().stream().flatMap(f -> f.samples.stream())
                    .filter(s -> s.name().equals(sampleName)).toList();
        }

        Family family(String name) {
            Family f = families.get(name);
            if (f == null) {
                throw new AssertionError("no metric family " + name + "; have " + families.keySet());
            }
            return f;
        }
    }

    private PrometheusText() {
    }

    static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            String family;
            if (line.startsWith("#")) {
                family = directive(line, no, families);
                if (family == null) {
                    continue;
                }
                if (!families.get(family).samples.isEmpty()) {
                    throw error(no, "HELP/TYPE of " + family + " after its samples");
                }
            } else {
                Sample s = sample(line, no);
                family = familyOf(s.name(), families);
                Family f = families.computeIfAbsent(family, Family::new);
                String key = s.name() + new TreeMap<>(s.labels());
                if (!series.add(key)) {
                    throw error(no, "duplicate series " + key);
                }
                checkSampleName(f, s, no);
                f.samples.add(s);
            }
            if (!family.equals(current)) {
                if (closed.contains(family)) {
                    throw error(no, "lines of family " + family + " are not contiguous");
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
        }
        for (Family f : families.values()) {
            if (f.type.equals("histogram")) {
                checkHistogram(f);
            }
        }
        return new Exposition(families);
    }

    /** Returns the family a HELP or TYPE line declares, or null for a plain comment. */
    private static String directive(String line, int no, Map<String, Family> families) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return null;
        }
        String name = parts[2];
        if (!METRIC_NAME.matcher(name).matches()) {
            throw error(no, "invalid metric name '" + name + "'");
        }
        Family f = families.computeIfAbsent(name, Family::new);
        if (parts[1].equals("HELP")) {
            if (f.help != null) {
                throw error(no, "second HELP for " + name);
            }
            f.help = parts.length == 4 ? unescapeHelp(parts[3], no) : "";
        } else {
            if (f.typeSeen) {
                throw error(no, "second TYPE for " + name);
            }
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw error(no, "TYPE of " + name + " must be one of " + TYPES);
            }
            f.type = parts[3];
            f.typeSeen = true;
        }
        return name;
    }

    private static String familyOf(String sampleName, Map<String, Family> families) {
        Family exact = families.get(sampleName);
        if (exact != null && exact.typeSeen) {
            return sampleName;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_created", "_total"}) {
            if (sampleName.endsWith(suffix)) {
                Family f = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (f != null && f.typeSeen) {
                    return f.name;
                }
            }
        }
        return sampleName;
    }

    private static void checkSampleName(Family f, Sample s, int no) {
        String suffix = s.name().substring(f.name.length());
        boolean ok = switch (f.type) {
            case "histogram" -> suffix.equals("_bucket") || suffix.equals("_sum") || suffix.equals("_count")
                    || suffix.equals("_created");
            case "summary" -> suffix.isEmpty() || suffix.equals("_sum") || suffix.equals("_count")
                    || suffix.equals("_created");
            case "counter" -> suffix.isEmpty() || suffix.equals("_total") || suffix.equals("_created");
            default -> suffix.isEmpty();
        };
        if (!ok) {
            throw error(no, "sample " + s.name() + " does not belong to " + f.type + " " + f.name);
        }
        if (f.type.equals("histogram") && suffix.equals("_bucket") != s.labels().containsKey("le")) {
            throw error(no, "histogram " + f.name + ": the le label belongs on _bucket samples only");
        }
        if (f.type.equals("histogram") && (suffix.equals("_count") || suffix.equals("_bucket"))
                && !(s.value() >= 0 && s.value() == Math.rint(s.value()))) {
            throw error(no, "histogram " + f.name + ": counts must be non-negative integers, got " + s.value());
        }
        if (f.type.equals("counter") && !(s.value() >= 0) && !suffix.equals("_created")) {
            throw error(no, "counter " + f.name + " must not be negative or NaN, got " + s.value());
        }
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<double[]>> buckets = new HashMap<>();
        Map<Map<String, String>, Double> counts = new HashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample s : f.samples) {
            Map<String, String> key = new TreeMap<>(s.labels());
            key.remove("le");
            if (s.name().endsWith("_bucket")) {
                String le = s.labels().get("le");
                if (!FLOAT.matcher(le).matches()) {
                    throw new IllegalArgumentException(f.name + ": le=\"" + le + "\" is not a float");
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {parseFloat(le), s.value()});
            } else if (s.name().endsWith("_count")) {
                counts.put(key, s.value());
            } else if (s.name().endsWith("_sum")) {
                sums.add(key);
            }
        }
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("histogram " + f.name + " has no buckets");
        }
        buckets.forEach((key, list) -> {
            for (int i = 1; i < list.size(); i++) {
                if (!(list.get(i)[0] > list.get(i - 1)[0])) {
                    throw new IllegalArgumentException(f.name + key + ": le bounds not increasing");
                }
                if (list.get(i)[1] < list.get(i - 1)[1]) {
                    throw new IllegalArgumentException(f.name + key + ": bucket counts not cumulative");
                }
            }
            double[] last = list.get(list.size() - 1);
            if (last[0] != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(f.name + key + ": no le=\"+Inf\" bucket");
            }
            if (!counts.containsKey(key) || counts.get(key) != last[1]) {
                throw new IllegalArgumentException(f.name + key + ": _count " + counts.get(key)
                        + " differs from the +Inf bucket " + last[1]);
            }
            if (!sums.contains(key)) {
                throw new IllegalArgumentException(f.name + key + ": no _sum");
            }
        });
    }

    private static Sample sample(String line, int no) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw error(no, "invalid metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels, no);
        }
        String rest = line.substring(i);
        if (rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '\t')) {
            throw error(no, "expected a blank before the value");
        }
        String[] fields = rest.strip().split("[ \t]+");
        if (fields.length < 1 || fields.length > 2 || !FLOAT.matcher(fields[0]).matches()) {
            throw error(no, "expected 'value [timestamp]', got '" + rest.strip() + "'");
        }
        if (fields.length == 2 && !TIMESTAMP.matcher(fields[1]).matches()) {
            throw error(no, "timestamp must be an integer of milliseconds, got '" + fields[1] + "'");
        }
        return new Sample(name, Map.copyOf(labels), parseFloat(fields[0]));
    }

    private static int labels(String line, int i, Map<String, String> out, int no) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                throw error(no, "label without '='");
            }
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                throw error(no, "invalid label name '" + label + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                throw error(no, "label value of " + label + " must be quoted");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= line.length()) {
                    throw error(no, "unterminated value of label " + label);
                }
                char c = line.charAt(j);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char e = j + 1 < line.length() ? line.charAt(j + 1) : 0;
                    switch (e) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw error(no, "invalid escape \\" + e + " in label " + label);
                    }
                    j += 2;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (out.put(label, value.toString()) != null) {
                throw error(no, "label " + label + " given twice");
            }
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                throw error(no, "expected ',' or '}' after label " + label);
            }
        }
    }

    private static String unescapeHelp(String s, int no) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            switch (e) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> throw error(no, "invalid escape \\" + e + " in HELP");
            }
            i++;
        }
        return out.toString();
    }

    private static double parseFloat(String s) {
        return switch (s) {
            case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static IllegalArgumentException error(int line, String what) {
        return new IllegalArgumentException("line " + line + ": " + what);
    }
}
