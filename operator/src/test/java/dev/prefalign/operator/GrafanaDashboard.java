package dev.prefalign.operator;

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
 * title starts with "Operator" queries the operator's /q/metrics, one under "Trainer" a trainer Pod's /metrics, and
 * no panel may sit outside both. The trainer-image module has the twin of this class, which checks the Trainer rows.
 */
record GrafanaDashboard(Map<String, List<String>> expressionsBySide) {

    static final Path FILE = Path.of("..", "charts", "prefalign-operator", "dashboards", "prefalign.json");
    static final List<String> SIDES = List.of("Operator", "Trainer");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern CLAUSE = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN");

    static GrafanaDashboard read() throws IOException {
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

    List<String> expressions(String side) {
        return expressionsBySide.getOrDefault(side, List.of());
    }

    /** The metric names (series selectors) an expression reads: not its functions, keywords, labels or strings. */
    static Set<String> metricNames(String expr) {
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

    /** The label names an expression groups by, matches on or filters with. */
    static Set<String> labelNames(String expr) {
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
            Matcher m = MATCHER.matcher(selector.group(1));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
