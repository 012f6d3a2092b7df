package dev.prefalign.api.v1alpha1.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.prefalign.api.v1alpha1.spec.KubernetesNames;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Enforces the CRD annotations ({@code @Required}, {@code @Size}, {@code @Min}, {@code @Max}, {@code @Pattern}) on
 * the Java objects, by reflection: the bounds are written once, on the fields, and hold both in the API server
 * (through the generated schema) and here (for the trainer run locally and as the operator's backstop).
 */
final class AnnotatedConstraints {

    /** Only our own API types are walked; Fabric8's model classes carry no such annotations. */
    private static final String API_PACKAGE = "dev.prefalign.api.";

    private AnnotatedConstraints() {
    }

    static void check(Object bean, String path, List<SpecViolation> out) {
        for (Class<?> c = bean.getClass(); c != null && isApiType(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                checkField(field, read(field, bean), path + "." + field.getName(), out);
            }
        }
    }

    private static void checkField(Field field, Object value, String path, List<SpecViolation> out) {
        if (value == null) {
            if (field.isAnnotationPresent(Required.class)) {
                out.add(new SpecViolation(path, path + " is required" + allowedHint(field.getType())));
            }
            return;
        }
        Size size = field.getAnnotation(Size.class);
        if (size != null) {
            checkSize(size, value, path, out);
        }
        Pattern pattern = field.getAnnotation(Pattern.class);
        if (pattern != null && value instanceof String s && !java.util.regex.Pattern.compile(pattern.value())
                .matcher(s).find()) {
            String wanted = KubernetesNames.describe(pattern.value());
            out.add(new SpecViolation(path, path + " \"" + s + "\" is not valid: use "
                    + (wanted != null ? wanted : "a value matching " + pattern.value())));
        }
        if (value instanceof Number number) {
            checkBounds(field, number, path, out);
        }
        if (isApiType(value.getClass()) && !value.getClass().isEnum()) {
            check(value, path, out);
        }
    }

    private static void checkSize(Size size, Object value, String path, List<SpecViolation> out) {
        long length;
        String unit;
        if (value instanceof CharSequence s) {
            length = s.length();
            unit = "characters";
        } else if (value instanceof Collection<?> c) {
            length = c.size();
            unit = "entries";
        } else if (value instanceof Map<?, ?> m) {
            length = m.size();
            unit = "entries";
        } else {
            return;
        }
        if (length < size.min()) {
            out.add(new SpecViolation(path, size.min() == 1
                    ? path + " must not be empty"
                    : path + " needs at least " + size.min() + " " + unit + " (has " + length + ")"));
        } else if (length > size.max()) {
            out.add(new SpecViolation(path, path + " allows at most " + size.max() + " " + unit + " (has " + length
                    + ")"));
        }
    }

    private static void checkBounds(Field field, Number number, String path, List<SpecViolation> out) {
        double v = number.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.add(new SpecViolation(path, path + " must be a finite number (got " + number + ")"));
            return;
        }
        Min min = field.getAnnotation(Min.class);
        Max max = field.getAnnotation(Max.class);
        boolean belowMin = min != null && (min.inclusive() ? v < min.value() : v <= min.value());
        boolean aboveMax = max != null && (max.inclusive() ? v > max.value() : v >= max.value());
        if (!belowMin && !aboveMax) {
            return;
        }
        String range;
        if (min != null && max != null) {
            range = "in " + (min.inclusive() ? "[" : "(") + format(min.value()) + ", " + format(max.value())
                    + (max.inclusive() ? "]" : ")");
        } else if (min != null) {
            range = (min.inclusive() ? ">= " : "> ") + format(min.value());
        } else {
            range = (max.inclusive() ? "<= " : "< ") + format(max.value());
        }
        out.add(new SpecViolation(path, path + " must be " + range + " (got " + number + ")"));
    }

    /** Bounds are doubles in the annotation; print integral ones without a fraction. */
    static String format(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound)
                : Double.toString(bound);
    }

    private static String allowedHint(Class<?> type) {
        if (!type.isEnum()) {
            return "";
        }
        return " (one of " + Arrays.stream(type.getEnumConstants()).map(c -> yamlName((Enum<?>) c))
                .collect(Collectors.joining(", ")) + ")";
    }

    /** The name a manifest uses for an enum constant: its {@code @JsonProperty}, else the constant's name. */
    private static String yamlName(Enum<?> constant) {
        try {
            JsonProperty json = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return json != null ? json.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    private static boolean isApiType(Class<?> c) {
        return c.getName().startsWith(API_PACKAGE);
    }

    private static Object read(Field field, Object bean) {
        try {
            field.setAccessible(true);
            return field.get(bean);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }
}
