package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code tojson} filter: {@code json.dumps(x, ensure_ascii=False, indent=None, separators=None,
 * sort_keys=False)}, arguments by position or by name. Jinjava's own {@code tojson} spaces its output differently.
 */
final class TojsonFilter implements Filter {

    private static final List<String> PARAMETERS = List.of("ensure_ascii", "indent", "separators", "sort_keys");

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object[] values = new Object[PARAMETERS.size()];
        if (args.length > values.length) {
            throw new IllegalArgumentException("tojson takes at most " + values.length + " arguments "
                + PARAMETERS + ", got " + args.length);
        }
        System.arraycopy(args, 0, values, 0, args.length);
        for (Map.Entry<String, Object> kwarg : kwargs.entrySet()) {
            int index = PARAMETERS.indexOf(kwarg.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("tojson got an unexpected keyword argument '" + kwarg.getKey()
                    + "'; it takes " + PARAMETERS);
            }
            values[index] = kwarg.getValue();
        }
        PythonJson.Options options = PythonJson.Options.of(
            truthy(values[0]), indent(values[1]), separators(values[2]), truthy(values[3]));
        return PythonJson.dumps(var, options);
    }

    private static boolean truthy(Object value) {
        return value instanceof Boolean b ? b : value != null && !"false".equalsIgnoreCase(value.toString());
    }

    /** Python accepts an int (that many spaces) or a string. */
    private static String indent(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return " ".repeat(Math.max(0, n.intValue()));
        }
        return value.toString();
    }

    private static List<String> separators(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list && list.size() == 2) {
            return List.of(String.valueOf(list.get(0)), String.valueOf(list.get(1)));
        }
        throw new IllegalArgumentException("tojson separators must be a pair (item_separator, key_separator), got "
            + value);
    }
}
