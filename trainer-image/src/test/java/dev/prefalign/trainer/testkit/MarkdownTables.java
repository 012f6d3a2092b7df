package dev.prefalign.trainer.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a Markdown table back: the first table after a heading, as rows of header -> cell text. */
public final class MarkdownTables {
    private MarkdownTables() {
    }

    public static List<Map<String, String>> after(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int i = lines.indexOf(heading);
        if (i < 0) {
            throw new AssertionError("no heading '" + heading + "' in the report");
        }
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        if (i >= lines.size()) {
            throw new AssertionError("no table after '" + heading + "'");
        }
        List<String> header = cells(lines.get(i));
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = i + 2; r < lines.size() && lines.get(r).startsWith("|"); r++) {
            List<String> cells = cells(lines.get(r));
            if (cells.size() != header.size()) {
                throw new AssertionError("row " + lines.get(r) + " has " + cells.size() + " cells, the header "
                        + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), cells.get(c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The cells of one row; an escaped \| is part of a cell. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            char ch = inner.charAt(i);
            if (ch == '\\' && i + 1 < inner.length()) {
                cell.append(inner.charAt(++i));
            } else if (ch == '|') {
                out.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString().strip());
        return out;
    }
}
