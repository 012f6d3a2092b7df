package dev.prefalign.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed access to a row's columns, with errors that name the column (and message) and what was found instead. */
final class RowColumns {

    /** The roles chat templates know; anything else is most likely a typo or another dataset's convention. */
    static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private final RawRow.Values row;

    RowColumns(RawRow.Values row) {
        this.row = row;
    }

    String origin() {
        return row.origin();
    }

    /** True when the row has the column, even with a null value (which {@link #value} then rejects). */
    boolean has(String column) {
        return row.columns().containsKey(column);
    }

    Set<String> columnNames() {
        return row.columns().keySet();
    }

    Object value(String column) throws InvalidRowException {
        if (!has(column)) {
            throw new InvalidRowException(column, "missing column (the row has " + columnNames() + ")");
        }
        Object value = row.columns().get(column);
        if (value == null) {
            throw new InvalidRowException(column, "is null: give it a value or remove the row");
        }
        return value;
    }

    /** A list of {@code {role, content}} objects with a known role and text content. */
    List<Message> messages(String column) throws InvalidRowException {
        Object value = value(column);
        if (!(value instanceof List<?> items)) {
            throw new InvalidRowException(column, "expected a list of messages [{role, content}] but found "
                    + ValueTypes.describe(value));
        }
        List<Message> messages = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            messages.add(message(column, i + 1, items.get(i)));
        }
        return messages;
    }

    private static Message message(String column, int number, Object item) throws InvalidRowException {
        if (!(item instanceof Map<?, ?> fields)) {
            throw new InvalidRowException(column, "message " + number + " is " + ValueTypes.describe(item)
                    + ", expected an object with 'role' and 'content'");
        }
        String role = messageText(column, number, fields, "role");
        if (!ROLES.contains(role)) {
            throw new InvalidRowException(column, "message " + number + " has the unknown role '" + role
                    + "': use system, user, assistant or tool");
        }
        return new Message(role, messageText(column, number, fields, "content"));
    }

    private static String messageText(String column, int number, Map<?, ?> fields, String key)
            throws InvalidRowException {
        Object value = fields.get(key);
        if (value == null) {
            throw new InvalidRowException(column, "message " + number + " has no '" + key + "' (it has "
                    + fields.keySet() + ")");
        }
        if (!(value instanceof String text)) {
            throw new InvalidRowException(column, "message " + number + ": '" + key + "' must be text but is "
                    + ValueTypes.describe(value));
        }
        return text;
    }
}
