package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are Python 3's {@code json.dumps} output for the same values. */
class PythonJsonTest {

    static String dumps(Object value) {
        return PythonJson.dumps(value, PythonJson.Options.DEFAULT);
    }

    @Test
    void compactFormUsesPythonSeparatorsAndKeepsNonAscii() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "température °C \"q\" \\ \n\t\u0001");
        value.put("n", 3);
        value.put("list", List.of(true, false, 1.5));
        value.put("none", null);
        value.put("empty", Map.of());

        assertThat(dumps(value)).isEqualTo("{\"name\": \"température °C \\\"q\\\" \\\\ \\n\\t\\u0001\", \"n\": 3, "
            + "\"list\": [true, false, 1.5], \"none\": null, \"empty\": {}}");
    }

    @Test
    void indentDropsTheSpaceAfterCommasAndKeepsEmptyContainersInline() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1, List.of()));
        value.put("b", Map.of("c", "d"));

        assertThat(PythonJson.dumps(value, PythonJson.Options.of(false, "  ", null, false)))
            .isEqualTo("{\n  \"a\": [\n    1,\n    []\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}");
    }

    @Test
    void ensureAsciiSortKeysAndSeparators() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", "é😀\u007f");
        value.put("a", 1);

        assertThat(PythonJson.dumps(value, PythonJson.Options.of(true, null, List.of(",", ":"), true)))
            .isEqualTo("{\"a\":1,\"z\":\"\\u00e9\\ud83d\\ude00\\u007f\"}");
    }

    @Test
    void floatsAsPythonRepr() {
        // repr() of each value in Python 3
        assertThat(Arrays.asList(0.1, 1.0, 100.0, 1e-05, 0.0001, 1e16, 1.5e16, 123456789012345680.0, 1e15, -0.0,
                2.5e-10, 1e22, Double.NaN, Double.POSITIVE_INFINITY).stream().map(PythonJson::floatRepr))
            .containsExactly("0.1", "1.0", "100.0", "1e-05", "0.0001", "1e+16", "1.5e+16", "1.2345678901234568e+17",
                "1000000000000000.0", "-0.0", "2.5e-10", "1e+22", "NaN", "Infinity");
    }

    @Test
    void keysAreConvertedAsPythonDoes() {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put(2, "int");
        value.put(2.5, "float");
        value.put(false, "bool");
        value.put(null, "none");

        assertThat(dumps(value))
            .isEqualTo("{\"2\": \"int\", \"2.5\": \"float\", \"false\": \"bool\", \"null\": \"none\"}");
    }

    @Test
    void unserializableObjectIsAnError() {
        assertThatThrownBy(() -> dumps(List.of(new Object())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not JSON serializable");
    }
}
