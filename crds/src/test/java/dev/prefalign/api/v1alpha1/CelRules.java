package dev.prefalign.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} rules of a CRD schema, evaluated as the API server does: the object gets the
 * schema's defaults first, numbers take the schema's type (an integer written into a {@code number} field is a
 * double), each rule sees the value at its own schema node as {@code self}, and a transition rule (one that names
 * {@code oldSelf}) runs only on an update where the old object has a value at that node too.
 */
final class CelRules {

    /** One rule, where it sits ({@code spec.dataset}; empty for the root) and what the API server answers. */
    record Rule(List<String> path, String expression, String message, String fieldPath, CelAbstractSyntaxTree ast,
            CelRuntime.Program program) {

        boolean isTransition() {
            return expression.contains("oldSelf");
        }

        String where() {
            return path.isEmpty() ? "<root>" : String.join(".", path);
        }
    }

    // Kubernetes declares has() and the list macros; the objects are untyped maps here, so both variables are dyn.
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JsonNode schema;
    private final List<Rule> rules;

    private CelRules(JsonNode schema, List<Rule> rules) {
        this.schema = schema;
        this.rules = List.copyOf(rules);
    }

    /** Compiles every rule of the version's openAPIV3Schema; a rule that does not compile fails here, naming it. */
    static CelRules of(JsonNode openApiV3Schema) {
        List<Rule> rules = new ArrayList<>();
        collect(openApiV3Schema, new ArrayList<>(), rules);
        return new CelRules(openApiV3Schema, rules);
    }

    List<Rule> rules() {
        return rules;
    }

    /** The openAPIV3Schema the rules were read from. */
    JsonNode schema() {
        return schema;
    }

    /** The messages of the rules a newly created object breaks; empty when the API server would accept it. */
    List<String> create(JsonNode object) {
        return evaluate(object, null);
    }

    /** The messages of the rules an update from {@code old} to {@code updated} breaks (transition rules included). */
    List<String> update(JsonNode old, JsonNode updated) {
        return evaluate(updated, old);
    }

    private List<String> evaluate(JsonNode object, JsonNode old) {
        Object self = toCel(withDefaults(object, schema), schema);
        Object oldSelf = old == null ? null : toCel(withDefaults(old, schema), schema);
        List<String> broken = new ArrayList<>();
        for (Rule rule : rules) {
            Object value = at(self, rule.path());
            Object oldValue = oldSelf == null ? null : at(oldSelf, rule.path());
            if (value == null || (rule.isTransition() && oldValue == null)) {
                continue; // the API server evaluates a rule only where its node is present (and was, for oldSelf)
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("self", value);
            if (rule.isTransition()) {
                vars.put("oldSelf", oldValue);
            }
            Object result;
            try {
                result = rule.program().eval(vars);
            } catch (CelEvaluationException e) {
                throw new AssertionError("rule at " + rule.where() + " failed to evaluate (the API server would "
                        + "reject the object with an error): " + rule.expression() + ": "
                        + firstLine(e.getMessage()), e);
            }
            if (!Boolean.TRUE.equals(result)) {
                broken.add(rule.message());
            }
        }
        return broken;
    }

    private static void collect(JsonNode node, List<String> path, List<Rule> out) {
        for (JsonNode validation : node.path("x-kubernetes-validations")) {
            String expression = validation.path("rule").asText();
            CelAbstractSyntaxTree ast;
            try {
                ast = COMPILER.compile(expression).getAst();
                out.add(new Rule(List.copyOf(path), expression, validation.path("message").asText(),
                        validation.path("fieldPath").asText(), ast, RUNTIME.createProgram(ast)));
            } catch (CelValidationException | CelEvaluationException e) {
                throw new AssertionError("rule at " + String.join(".", path) + " does not compile: " + expression
                        + ": " + firstLine(e.getMessage()), e);
            }
        }
        // Rules inside lists and maps would need one evaluation per element; this CRD has none there, so say so.
        if (node.has("items") && hasRules(node.path("items")) || node.has("additionalProperties")
                && hasRules(node.path("additionalProperties"))) {
            throw new AssertionError("rules under a list or map at " + String.join(".", path) + " are not supported "
                    + "by this test helper; extend CelRules.at to evaluate them per element");
        }
        Iterator<Map.Entry<String, JsonNode>> properties = node.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            path.add(property.getKey());
            collect(property.getValue(), path, out);
            path.remove(path.size() - 1);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static boolean hasRules(JsonNode node) {
        return node.has("x-kubernetes-validations") || node.findParent("x-kubernetes-validations") != null;
    }

    /** A copy of the object with the schema's defaults filled in, the way the API server defaults a request. */
    private static JsonNode withDefaults(JsonNode value, JsonNode schema) {
        JsonNode copy = value.deepCopy();
        applyDefaults(copy, schema);
        return copy;
    }

    private static void applyDefaults(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            // The API server prunes nulls of fields not marked nullable before defaulting: `referenceModel: null`
            // is then absent, and has() is false, not true with a null value.
            List<String> nulls = new ArrayList<>();
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()
                        && !schema.path("properties").path(field.getKey()).path("nullable").asBoolean(false)) {
                    nulls.add(field.getKey());
                }
            });
            object.remove(nulls);
            Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (!object.has(property.getKey()) && property.getValue().has("default")) {
                    object.set(property.getKey(), property.getValue().get("default").deepCopy());
                }
                if (object.has(property.getKey())) {
                    applyDefaults(object.get(property.getKey()), property.getValue());
                }
            }
            if (schema.has("additionalProperties")) {
                object.forEach(v -> applyDefaults(v, schema.path("additionalProperties")));
            }
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(v -> applyDefaults(v, schema.path("items")));
        }
    }

    /** The CEL value of a JSON value: maps, lists, Long for integers, Double for numbers, NullValue for null. */
    private static Object toCel(JsonNode value, JsonNode schema) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(field -> map.put(field.getKey(), toCel(field.getValue(),
                    schema.path("properties").has(field.getKey()) ? schema.path("properties").path(field.getKey())
                            : schema.path("additionalProperties"))));
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(item -> list.add(toCel(item, schema.path("items"))));
            return list;
        }
        if (value.isNumber()) {
            boolean number = "number".equals(schema.path("type").asText()) || value.isFloatingPointNumber();
            return number ? (Object) value.doubleValue() : (Object) value.longValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.asText();
    }

    /** The value at a schema path, or null where the object has none. */
    @SuppressWarnings("unchecked")
    private static Object at(Object root, List<String> path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }
}
