package dev.prefalign.api.manifest;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a manifest tree against the Java types before binding, so that every unknown field, wrong type and bad
 * enum value is reported at once with its path (Jackson would stop at the first). Along the way it normalises
 * what the API server would also accept: a null for a field with a default means the default (the key is removed),
 * a number for an int-or-string field becomes its text, and an unquoted {@code 5e-7} (a string to YAML 1.1, a
 * number to kubectl) becomes a number.
 */
final class TreeChecker {

    /** A problem found in the tree, before locations are attached. */
    record Finding(String path, String message) {
    }

    /** A float as kubectl's YAML reader accepts it; YAML 1.1 (Jackson) insists on a '.' and a signed exponent. */
    private static final Pattern FLOAT_TEXT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final String API_PACKAGE = "dev.prefalign.api.";

    private final ObjectMapper mapper;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<Class<?>, Object> defaultInstances = new HashMap<>();

    TreeChecker(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Checks (and normalises in place) an object node that is to be bound to {@code type}. */
    void checkObject(ObjectNode node, JavaType type, String path) {
        BeanDescription bean = mapper.getDeserializationConfig().introspect(type);
        Map<String, BeanPropertyDefinition> properties = new LinkedHashMap<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.couldDeserialize()) {
                properties.put(property.getName(), property);
            }
        }
        if (properties.isEmpty()) {
            return; // an opaque type such as FieldsV1: anything goes
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            String fieldPath = FieldPaths.child(path, key);
            BeanPropertyDefinition property = properties.get(key);
            if (property == null) {
                findings.add(new Finding(fieldPath, unknownField(fieldPath, key, properties.keySet())));
                continue;
            }
            JsonNode value = node.get(key);
            if (value.isNull()) {
                if (defaultValue(type.getRawClass(), property) != null) {
                    node.remove(key); // like the API server: null on a defaulted field means the default
                }
                continue;
            }
            Field field = declaredField(type.getRawClass(), property.getInternalName());
            JsonNode normalised = checkValue(value, property.getPrimaryType(), field, fieldPath);
            if (normalised != value) {
                node.set(key, normalised);
            }
        }
    }

    private JsonNode checkValue(JsonNode node, JavaType type, Field field, String path) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            if (node.isTextual()) {
                return node;
            }
            if (node.isNumber() && isIntOrString(field)) {
                return TextNode.valueOf(node.asText());
            }
            return mismatch(node, path, "a string" + (node.isValueNode() && !node.isNull()
                    ? " (write it in quotes: \"" + node.asText() + "\")" : ""));
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return node.isBoolean() ? node : mismatch(node, path, "true or false");
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class) {
            return checkIntegral(node, raw, path);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return checkFloating(node, path);
        }
        if (raw.isEnum()) {
            checkEnum(node, raw, path);
            return node;
        }
        if (type.isMapLikeType()) {
            if (!node.isObject()) {
                return mismatch(node, path, "a mapping of keys to values");
            }
            ObjectNode object = (ObjectNode) node;
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode value = object.get(key);
                JsonNode normalised = checkValue(value, type.getContentType(), null, FieldPaths.child(path, key));
                if (normalised != value) {
                    object.set(key, normalised);
                }
            }
            return node;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (!node.isArray()) {
                return mismatch(node, path, "a list");
            }
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                JsonNode normalised = checkValue(element, type.getContentType(), null, FieldPaths.element(path, i));
                if (normalised != element) {
                    array.set(i, normalised);
                }
            }
            return node;
        }
        if (isCheckableBean(raw)) {
            if (!node.isObject()) {
                return mismatch(node, path, "a mapping of fields");
            }
            checkObject((ObjectNode) node, type, path);
        }
        return node; // a type with its own deserializer (Quantity, IntOrString, ...): Jackson has the last word
    }

    private JsonNode checkIntegral(JsonNode node, Class<?> raw, String path) {
        if (!node.isIntegralNumber()) {
            return mismatch(node, path, "a whole number");
        }
        boolean fits = raw == long.class || raw == Long.class ? node.canConvertToLong()
                : raw == short.class || raw == Short.class
                        ? node.canConvertToInt() && Math.abs(node.intValue()) <= Short.MAX_VALUE
                        : node.canConvertToInt();
        if (!fits) {
            findings.add(new Finding(path, path + " is too large (got " + node.asText() + ")"));
        }
        return node;
    }

    private JsonNode checkFloating(JsonNode node, String path) {
        if (node.isNumber()) {
            if (!Double.isFinite(node.doubleValue())) {
                return mismatch(node, path, "a finite number");
            }
            return node;
        }
        if (node.isTextual() && FLOAT_TEXT.matcher(node.asText()).matches()) {
            return DoubleNode.valueOf(Double.parseDouble(node.asText()));
        }
        return mismatch(node, path, "a number");
    }

    private void checkEnum(JsonNode node, Class<?> raw, String path) {
        List<String> allowed = new ArrayList<>();
        for (Object constant : raw.getEnumConstants()) {
            allowed.add(mapper.valueToTree(constant).asText());
        }
        if (node.isTextual() && allowed.contains(node.asText())) {
            return;
        }
        String list = String.join(", ", allowed);
        if (!node.isTextual()) {
            mismatch(node, path, "one of " + list);
            return;
        }
        Optional<String> suggestion = Suggestions.closest(node.asText(), allowed);
        findings.add(new Finding(path, path + " has unknown value \"" + node.asText() + "\" (allowed: " + list
                + suggestion.map(s -> "; did you mean " + s + "?").orElse("") + ")"));
    }

    private JsonNode mismatch(JsonNode node, String path, String expected) {
        findings.add(new Finding(path, path + " must be " + expected + ", not " + describe(node)));
        return node;
    }

    private static String unknownField(String path, String key, java.util.Collection<String> known) {
        return "unknown field " + path + Suggestions.closest(key, known)
                .map(s -> " (did you mean " + s + "?)")
                .orElseGet(() -> " (known fields: " + String.join(", ", known) + ")");
    }

    private static String describe(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        return node.isArray() ? "a list" : "a mapping";
    }

    /** The property's value on a freshly constructed bean: non-null means "has a default". Our own types only. */
    private Object defaultValue(Class<?> beanClass, BeanPropertyDefinition property) {
        if (!beanClass.getName().startsWith(API_PACKAGE)) {
            return null;
        }
        Object instance = defaultInstances.computeIfAbsent(beanClass, TreeChecker::instantiate);
        AnnotatedMember accessor = property.getAccessor();
        return accessor == null ? null : accessor.getValue(instance);
    }

    private static Object instantiate(Class<?> beanClass) {
        try {
            return beanClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(beanClass + " needs a public no-argument constructor", e);
        }
    }

    private static boolean isIntOrString(Field field) {
        SchemaFrom schema = field == null ? null : field.getAnnotation(SchemaFrom.class);
        return schema != null && schema.type() == IntOrString.class;
    }

    private static boolean isCheckableBean(Class<?> raw) {
        if (raw.isPrimitive() || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())
                || raw.getName().startsWith("java.") || JsonNode.class.isAssignableFrom(raw)) {
            return false;
        }
        JsonDeserialize custom = raw.getAnnotation(JsonDeserialize.class);
        return custom == null || custom.using() == JsonDeserializer.None.class;
    }

    private static Field declaredField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    return field;
                }
            }
        }
        return null;
    }
}
