package dev.prefalign.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the chart's Grafana dashboard, by side. The split is the dashboard's rows: a panel under a row whose
 * title starts with "Trainer" queries a trainer Pod's /metrics, one under "Operator" the operator's /q/metrics, and
 * no panel may sit outside both. It lives in the crds module's test jar, which the operator's and the trainer's tests
 * share: each checks its own side against the metrics it really exposes.
 */
public record GrafanaDashboard(Map<String, List<String>> expressionsBySide) {

    public static final Path FILE = Path.of("..", "charts", "prefalign-operator", "dashboards", "prefalign.json");
    public static final List<String> SIDES = List.of("Operator", "Trainer");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern CLAUSE = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static GrafanaDashboard read() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(FILE));
        Map<String, List<String>> bySide = new LinkedHashMap<>();
        String side = null;
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            if (panel.path("type").asText().equals("row")) {
                side = SIDES.stream().filter(title::startsWith).findFirst().orElseThrow(() -> new AssertionError(
                        FILE + ": row \"" + title + "\" must start with one of " + SIDES));
                continue;
            }
            if (side == null) {
                throw new AssertionError(FILE + ": panel \"" + title + "\" comes before any row; put it under a row"
                        + " named Operator... or Trainer...");
            }
            for (JsonNode target : panel.path("targets")) {
                bySide.computeIfAbsent(side, s -> new ArrayList<>()).add(target.path("expr").asText());
            }
        }
        return new GrafanaDashboard(bySide);
    }

    public List<String> expressions(String side) {
        return expressionsBySide.getOrDefault(side, List.of());
    }

    /** The metric names (series selectors) an expression reads: not its functions, keywords, labels or strings. */
    public static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "");
        bare = CLAUSE.matcher(bare).replaceAll("");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The values an expression selects for {@code label} on {@code metric}: an exact match as it is, a regex match
     * expanded into its alternatives ({@code rewards/(chosen|rejected)} gives two values).
     */
    public static Set<String> labelValues(String expr, String metric, String label) {
        Set<String> values = new LinkedHashSet<>();
        Matcher selector = Pattern.compile(Pattern.quote(metric) + "\\{([^}]*)}").matcher(expr);
        while (selector.find()) {
            Matcher m = MATCHER.matcher(selector.group(1));
            while (m.find()) {
                if (m.group(1).equals(label)) {
                    values.addAll(m.group(2).equals("=") ? List.of(m.group(3)) : alternatives(m.group(3)));
                }
            }
        }
        return values;
    }

    /** The strings a regex of literals, groups and | matches; anything else fails the test that uses it. */
    public static List<String> alternatives(String regex) {
        List<String> top = split(regex);
        if (top.size() > 1) {
            return top.stream().flatMap(a -> alternatives(a).stream()).toList();
        }
        int open = regex.indexOf('(');
        if (open < 0) {
            if (!regex.matches("[\\w/ -]*")) {
                throw new AssertionError("cannot expand the label regex \"" + regex + "\" into names");
            }
            return List.of(regex);
        }
        int close = matching(regex, open);
        List<String> out = new ArrayList<>();
        for (String inner : alternatives(regex.substring(open + 1, close))) {
            out.addAll(alternatives(regex.substring(0, open) + inner + regex.substring(close + 1)));
        }
        return out;
    }

    private static List<String> split(String regex) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == '|' && depth == 0) {
                parts.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(regex.substring(start));
        return parts;
    }

    private static int matching(String regex, int open) {
        int depth = 0;
        for (int i = open; i < regex.length(); i++) {
            depth += regex.charAt(i) == '(' ? 1 : regex.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced parentheses in the label regex \"" + regex + "\"");
    }

    /** The label names an expression groups by, matches on or filters with. */
    public static Set<String> labelNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Set<String> names = new LinkedHashSet<>();
        Matcher clause = CLAUSE.matcher(bare);
        while (clause.find()) {
            String list = clause.group().substring(clause.group().indexOf('(') + 1, clause.group().length() - 1);
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
        }
        Matcher selector = Pattern.compile("\\{([^}]*)}").matcher(bare);
        while (selector.find()) {
            Matcher m = LABEL_MATCHER.matcher(selector.group(1));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
