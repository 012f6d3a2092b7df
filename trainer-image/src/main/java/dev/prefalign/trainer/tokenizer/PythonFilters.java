package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Jinja2 filters and tests whose Jinjava counterparts are missing or behave differently from Python. */
final class PythonFilters {

    private PythonFilters() {}

    /** {@code trim(chars=None)} is {@code str.strip}: Unicode whitespace, where Java's trim stops at ASCII. */
    static final class Trim implements Filter {

        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return PythonStrings.strip(var == null ? "" : var.toString(), chars);
        }
    }

    /** {@code items} (Jinja2 3.1): the key/value pairs of a mapping, nothing for undefined (Jinjava lacks it). */
    static final class Items implements Filter {

        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return List.of();
            }
            if (!(var instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("items filter: can only get item pairs from a mapping, got "
                    + var.getClass().getSimpleName());
            }
            // Entries unpack into two loop variables in Jinjava's for tag, like Python's (key, value) tuples.
            List<Map.Entry<Object, Object>> pairs = new ArrayList<>(map.size());
            map.forEach((k, v) -> pairs.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
            return pairs;
        }
    }

    /** Python's {@code iter(x)} succeeds for strings and dicts too (Llama 3.1 tool results rely on it). */
    static final class IterableTest implements ExpTest {

        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof CharSequence || var instanceof Iterable<?> || var instanceof Map
                || (var != null && var.getClass().isArray()) || isSafeString(var);
        }
    }

    /** Jinja2's sequence test: has a length and item access, so strings, lists and dicts, but not sets. */
    static final class SequenceTest implements ExpTest {

        @Override
        public String getName() {
            return "sequence";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof CharSequence || var instanceof List || var instanceof Map
                || (var != null && var.getClass().isArray()) || isSafeString(var);
        }
    }

    private static boolean isSafeString(Object var) {
        return var instanceof SafeString;
    }
}
