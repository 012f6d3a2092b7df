package dev.prefalign.trainer.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The filter and test names a template uses ({@code x | name}, {@code x is [not] name}, {@code {% filter name %}}).
 *
 * <p>Jinja2 rejects an unknown filter or test when it compiles a template; Jinjava renders an unknown filter as an
 * empty value without reporting anything. Checking the names up front turns that silent difference into an error.
 * This is a scan of the template's tags, not a parser: string literals are skipped, so {@code '<|im_start|>'} is no
 * filter.
 */
final class FilterAndTestNames {

    /** A filter or test name and the 1-based template line it is on. */
    record Use(Kind kind, String name, int line) {}

    enum Kind { FILTER, TEST }

    private final String source;
    private final List<Use> uses = new ArrayList<>();
    private int pos;

    private FilterAndTestNames(String source) {
        this.source = source;
    }

    static List<Use> scan(String source) {
        FilterAndTestNames scanner = new FilterAndTestNames(source);
        scanner.scanTemplate();
        return scanner.uses;
    }

    private void scanTemplate() {
        while (pos < source.length()) {
            if (source.startsWith("{#", pos)) {
                int end = source.indexOf("#}", pos + 2);
                pos = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("{{", pos)) {
                pos += 2;
                scanTag("}}");
            } else if (source.startsWith("{%", pos)) {
                pos += 2;
                if (isRawTag()) {
                    int end = source.indexOf("endraw", pos);
                    int close = end < 0 ? -1 : source.indexOf("%}", end);
                    pos = close < 0 ? source.length() : close + 2;
                } else {
                    scanTag("%}");
                }
            } else {
                pos++;
            }
        }
    }

    private boolean isRawTag() {
        int p = pos;
        while (p < source.length() && (source.charAt(p) == '-' || source.charAt(p) == '+'
            || Character.isWhitespace(source.charAt(p)))) {
            p++;
        }
        return source.startsWith("raw", p) && !isIdentifierPart(p + 3);
    }

    private void scanTag(String close) {
        if (pos < source.length() && (source.charAt(pos) == '-' || source.charAt(pos) == '+')) {
            pos++; // whitespace control, not an operator
        }
        int braces = 0;
        String previousWord = null;
        boolean firstWord = true;
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (braces == 0 && source.startsWith(close, pos)) {
                pos += close.length();
                return;
            }
            if (c == '\'' || c == '"') {
                skipString(c);
                previousWord = null;
            } else if (c == '{') {
                braces++;
                pos++;
            } else if (c == '}') {
                braces--;
                pos++;
            } else if (c == '|') {
                pos++;
                String name = nextWord();
                if (name != null) {
                    add(Kind.FILTER, name);
                }
                previousWord = null;
            } else if (Character.isLetter(c) || c == '_') {
                boolean attribute = pos > 0 && source.charAt(pos - 1) == '.';
                String word = readWord();
                if ("filter".equals(word) && firstWord && close.equals("%}")) {
                    String name = nextWord();
                    if (name != null) {
                        add(Kind.FILTER, name);
                    }
                } else if ("is".equals(previousWord)) {
                    String name = "not".equals(word) ? nextWord() : word;
                    if (name != null) {
                        add(Kind.TEST, name);
                    }
                    word = null;
                }
                previousWord = attribute ? null : word;
                firstWord = false;
            } else {
                if (!Character.isWhitespace(c)) {
                    previousWord = null;
                    firstWord = false;
                }
                pos++;
            }
        }
    }

    private void add(Kind kind, String name) {
        int line = 1;
        for (int i = 0; i < pos && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        uses.add(new Use(kind, name, line));
    }

    private void skipString(char quote) {
        pos++;
        while (pos < source.length()) {
            char c = source.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == quote) {
                return;
            }
        }
    }

    private String nextWord() {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
        if (pos < source.length() && (Character.isLetter(source.charAt(pos)) || source.charAt(pos) == '_')) {
            return readWord();
        }
        return null;
    }

    private String readWord() {
        int start = pos;
        while (isIdentifierPart(pos)) {
            pos++;
        }
        return source.substring(start, pos);
    }

    private boolean isIdentifierPart(int p) {
        return p < source.length() && (Character.isLetterOrDigit(source.charAt(p)) || source.charAt(p) == '_');
    }
}
