package dev.prefalign.api.manifest;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.regex.Pattern;

/**
 * Field paths as users read them: {@code spec.training.learningRate}, {@code spec.resources.tolerations[0].key},
 * {@code spec.resources.nodeSelector["kubernetes.io/arch"]}. One helper, so locations and messages agree.
 */
public final class FieldPaths {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private FieldPaths() {
    }

    public static String child(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    public static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing field's path; empty for a top-level field. */
    public static String parent(String path) {
        if (path.endsWith("\"]")) {
            return path.substring(0, path.lastIndexOf("[\""));
        }
        if (path.endsWith("]")) {
            return path.substring(0, path.lastIndexOf('['));
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The path of a YAML/JSON parser's current entry: its current field, or its current element. */
    public static String of(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = of(context.getParent());
        if (context.inArray()) {
            return element(parent, Math.max(context.getCurrentIndex(), 0));
        }
        String name = context.getCurrentName();
        return name == null ? parent : child(parent, name);
    }
}
