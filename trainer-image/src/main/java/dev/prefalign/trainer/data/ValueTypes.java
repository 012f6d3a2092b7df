package dev.prefalign.trainer.data;

import java.util.List;
import java.util.Map;

/** Names the JSON-like type of a column value for error messages ("found a number"). */
final class ValueTypes {

    private ValueTypes() {
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof Number) {
            return "a number (" + value + ")";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + value + ")";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof byte[]) {
            return "binary data";
        }
        return "a value of type " + value.getClass().getSimpleName();
    }
}
