package dev.prefalign.trainer.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Python's {@code str} methods as chat templates call them ({@code content.strip()}, {@code .split('</think>')},
 * {@code .startswith(...)}, ...). Java's namesakes differ ({@code split} takes a regex and drops trailing empty
 * strings, {@code trim} stops at ASCII control characters), and the rest do not exist on {@link String}.
 */
final class PythonStrings {

    private PythonStrings() {}

    /** Python's {@code str.isspace} for one character: Unicode whitespace, including U+0085 and no-break spaces. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && stripped(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    /** {@code str.split(sep=None, maxsplit=-1)}. */
    static List<String> split(String s, String sep, int maxsplit) {
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i == n) {
                    return parts;
                }
                if (maxsplit >= 0 && parts.size() == maxsplit) {
                    parts.add(s.substring(i));
                    return parts;
                }
                int start = i;
                while (i < n && !isSpace(s.charAt(i))) {
                    i++;
                }
                parts.add(s.substring(start, i));
            }
        }
        requireSeparator(sep);
        int start = 0;
        int found;
        while ((maxsplit < 0 || parts.size() < maxsplit) && (found = s.indexOf(sep, start)) >= 0) {
            parts.add(s.substring(start, found));
            start = found + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** {@code str.rsplit(sep=None, maxsplit=-1)}. */
    static List<String> rsplit(String s, String sep, int maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = s.length();
            while (true) {
                while (i > 0 && isSpace(s.charAt(i - 1))) {
                    i--;
                }
                if (i == 0) {
                    break;
                }
                if (parts.size() == maxsplit) {
                    parts.add(s.substring(0, i));
                    break;
                }
                int end = i;
                while (i > 0 && !isSpace(s.charAt(i - 1))) {
                    i--;
                }
                parts.add(s.substring(i, end));
            }
        } else {
            requireSeparator(sep);
            int end = s.length();
            int found;
            while (parts.size() < maxsplit && (found = s.lastIndexOf(sep, end - sep.length())) >= 0) {
                parts.add(s.substring(found + sep.length(), end));
                end = found;
            }
            parts.add(s.substring(0, end));
        }
        Collections.reverse(parts);
        return parts;
    }

    private static void requireSeparator(String sep) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
    }

    /** {@code str.replace(old, new, count=-1)}. */
    static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        int done = 0;
        if (old.isEmpty()) {
            // Python inserts the replacement before every character and at the end, count times at most.
            for (int i = 0; i <= s.length(); i++) {
                if (done < count) {
                    out.append(replacement);
                    done++;
                }
                if (i < s.length()) {
                    out.append(s.charAt(i));
                }
            }
            return out.toString();
        }
        int found;
        while (done < count && (found = s.indexOf(old, start)) >= 0) {
            out.append(s, start, found).append(replacement);
            start = found + old.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    /** {@code str.title()}: a cased character after an uncased one is upper-cased, the others lower-cased. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = cased;
        }
        return out.toString();
    }

    /** {@code str.capitalize()}: first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        return Character.toTitleCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code str.count(sub)}: non-overlapping occurrences. */
    static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }
}
