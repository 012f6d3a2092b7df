package dev.prefalign.trainer.data;

import java.util.List;
import java.util.Locale;

/**
 * The format rows are held to, and why (set in the spec, or detected from a row), so a row that does not fit says
 * which row decided.
 */
record ResolvedFormat(DatasetFormat format, String reason) {

    ResolvedFormat {
        if (format == DatasetFormat.AUTO) {
            throw new IllegalArgumentException("a resolved format is standard or conversational");
        }
    }

    static ResolvedFormat configured(DatasetFormat format) {
        return new ResolvedFormat(format, "set by dataset.format");
    }

    static ResolvedFormat detected(DatasetFormat format, String origin) {
        return new ResolvedFormat(format, "detected from " + origin);
    }

    boolean conversational() {
        return format == DatasetFormat.CONVERSATIONAL;
    }

    /** The row's value for a text-or-messages column, as the format wants it. */
    Segment segment(RowColumns row, String column) throws InvalidRowException {
        Object value = row.value(column);
        if (conversational()) {
            if (!(value instanceof List<?>)) {
                throw mismatch(column, value);
            }
            return new Segment.Chat(row.messages(column));
        }
        if (!(value instanceof String text)) {
            throw mismatch(column, value);
        }
        return new Segment.Text(text);
    }

    InvalidRowException mismatch(String column, Object value) {
        String expected = conversational() ? "a list of messages [{role, content}]" : "text";
        String hint = "";
        if (value instanceof List<?> && !conversational()) {
            hint = "; if the dataset holds message lists, set dataset.format to conversational or auto";
        } else if (value instanceof String && conversational()) {
            hint = "; if the dataset holds text, set dataset.format to standard or auto";
        }
        return new InvalidRowException(column, "expected " + expected + " (" + format.name().toLowerCase(Locale.ROOT)
                + " format, " + reason + ") but found " + ValueTypes.describe(value) + hint);
    }
}
