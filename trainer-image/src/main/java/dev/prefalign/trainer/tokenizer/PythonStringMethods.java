package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.objects.SafeString;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Resolves method calls on strings to Python's {@code str} methods (see {@link PythonStrings}); every other call and
 * every property lookup is left to Jinjava's resolvers, which come after this one.
 */
final class PythonStringMethods extends ELResolver {

    private static final Set<String> METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit", "startswith",
        "endswith", "upper", "lower", "title", "capitalize", "replace", "find", "rfind", "count", "join");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String || base instanceof SafeString) || !METHODS.contains(String.valueOf(method))) {
            return null;
        }
        String s = base.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), args);
        context.setPropertyResolved(true);
        return result;
    }

    private static Object call(String s, String method, Object[] args) {
        return switch (method) {
            case "strip" -> PythonStrings.strip(s, optionalString(method, args, 0));
            case "lstrip" -> PythonStrings.lstrip(s, optionalString(method, args, 0));
            case "rstrip" -> PythonStrings.rstrip(s, optionalString(method, args, 0));
            case "split" -> PythonStrings.split(s, optionalString(method, args, 0), optionalInt(args, 1, -1));
            case "rsplit" -> PythonStrings.rsplit(s, optionalString(method, args, 0), optionalInt(args, 1, -1));
            case "startswith" -> affixes(method, args).stream().anyMatch(s::startsWith);
            case "endswith" -> affixes(method, args).stream().anyMatch(s::endsWith);
            case "upper" -> PythonStrings.upper(s);
            case "lower" -> PythonStrings.lower(s);
            case "title" -> PythonStrings.title(s);
            case "capitalize" -> PythonStrings.capitalize(s);
            case "replace" -> PythonStrings.replace(s, requiredString(method, args, 0),
                requiredString(method, args, 1), optionalInt(args, 2, -1));
            case "find" -> s.indexOf(requiredString(method, args, 0));
            case "rfind" -> s.lastIndexOf(requiredString(method, args, 0));
            case "count" -> PythonStrings.count(s, requiredString(method, args, 0));
            case "join" -> join(s, args);
            default -> throw new IllegalStateException("unhandled str method " + method);
        };
    }

    private static String join(String separator, Object[] args) {
        if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
            throw new IllegalArgumentException("str.join() takes one iterable of strings");
        }
        List<String> parts = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String || item instanceof SafeString)) {
                throw new IllegalArgumentException("sequence item " + parts.size() + ": expected str instance, "
                    + (item == null ? "NoneType" : item.getClass().getSimpleName()) + " found");
            }
            parts.add(item.toString());
        }
        return String.join(separator, parts);
    }

    /** startswith/endswith take one string or a tuple (list) of strings. */
    private static List<String> affixes(String method, Object[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException(method + "() takes at least 1 argument (0 given)");
        }
        if (args[0] instanceof Iterable<?> items) {
            List<String> affixes = new ArrayList<>();
            items.forEach(item -> affixes.add(String.valueOf(item)));
            return affixes;
        }
        return Collections.singletonList(requiredString(method, args, 0));
    }

    private static String requiredString(String method, Object[] args, int index) {
        if (args.length <= index || args[index] == null) {
            throw new IllegalArgumentException("str." + method + "() is missing argument " + (index + 1));
        }
        return args[index].toString();
    }

    private static String optionalString(String method, Object[] args, int index) {
        return args.length <= index || args[index] == null ? null : requiredString(method, args, index);
    }

    private static int optionalInt(Object[] args, int index, int fallback) {
        return args.length <= index || args[index] == null ? fallback : ((Number) args[index]).intValue();
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Never resolves a property: Jinjava's own resolvers handle assignments.
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
