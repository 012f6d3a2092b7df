package dev.prefalign.trainer.tokenizer;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * JSON text exactly as Python's {@code json.dumps} writes it, which is what transformers' {@code tojson} filter
 * returns: {@code ", "} and {@code ": "} separators (or {@code ","} when indenting), non-ASCII kept unless
 * {@code ensure_ascii}, floats as Python's {@code repr}. Chat templates put tool schemas into the prompt with it, so
 * any other spacing would change the tokens the model is trained on.
 */
final class PythonJson {

    /** The options of {@code json.dumps} that transformers' filter passes through. */
    record Options(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {

        static final Options DEFAULT = new Options(false, null, ", ", ": ", false);

        /** Python's rule: with an indent the item separator loses its trailing space unless given explicitly. */
        static Options of(boolean ensureAscii, String indent, List<String> separators, boolean sortKeys) {
            String item = indent == null ? ", " : ",";
            String key = ": ";
            if (separators != null) {
                item = separators.get(0);
                key = separators.get(1);
            }
            return new Options(ensureAscii, indent, item, key, sortKeys);
        }
    }

    /** Map.entry rejects null values; this stands in for JSON null inside the entry list. */
    private static final Object NULL = new Object();

    private PythonJson() {}

    static String dumps(Object value, Options options) {
        StringBuilder out = new StringBuilder();
        write(out, value, options, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, Options options, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(out, value.toString(), options.ensureAscii());
        } else if (value instanceof Number n) {
            out.append(number(n));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, options, depth);
        } else if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(list::add);
            writeArray(out, list, options, depth);
        } else if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            writeArray(out, list, options, depth);
        } else {
            throw new IllegalArgumentException("Object of type " + value.getClass().getSimpleName()
                + " is not JSON serializable");
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, Options options, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries.add(Map.entry(key(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
        }
        if (options.sortKeys()) {
            entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            if (!first) {
                out.append(options.itemSeparator());
            }
            first = false;
            newline(out, options, depth + 1);
            writeString(out, e.getKey(), options.ensureAscii());
            out.append(options.keySeparator());
            write(out, e.getValue() == NULL ? null : e.getValue(), options, depth + 1);
        }
        newline(out, options, depth);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, List<Object> items, Options options, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(options.itemSeparator());
            }
            newline(out, options, depth + 1);
            write(out, items.get(i), options, depth + 1);
        }
        newline(out, options, depth);
        out.append(']');
    }

    private static void newline(StringBuilder out, Options options, int depth) {
        if (options.indent() != null) {
            out.append('\n').append(options.indent().repeat(depth));
        }
    }

    /** Python converts str, int, float, bool and None keys to strings; anything else is a TypeError. */
    private static String key(Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof CharSequence || key instanceof Character) {
            return key.toString();
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Number n) {
            return number(n);
        }
        throw new IllegalArgumentException("keys must be str, int, float, bool or None, not "
            + key.getClass().getSimpleName());
    }

    private static void writeString(StringBuilder out, String s, boolean ensureAscii) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Python escapes control characters always, and everything outside ' '..'~' with ensure_ascii
                    // (UTF-16 units, so astral characters come out as surrogate pairs, as in Python).
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            return floatRepr(n.doubleValue());
        }
        if (n instanceof BigDecimal d) {
            return floatRepr(d.doubleValue());
        }
        if (n instanceof BigInteger || n instanceof Long || n instanceof Integer || n instanceof Short
            || n instanceof Byte) {
            return n.toString();
        }
        return floatRepr(n.doubleValue());
    }

    /** Python's {@code float.__repr__}: shortest round-trip digits, scientific outside 1e-4 <= |x| < 1e16. */
    static String floatRepr(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x == 0) {
            return (1 / x < 0) ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int exponent = digits.length() - 1 - decimal.scale(); // x = d.ddd * 10^exponent
        StringBuilder out = new StringBuilder(x < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        } else if (exponent < 0) {
            out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (digits.length() <= exponent + 1) {
            out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }
}
