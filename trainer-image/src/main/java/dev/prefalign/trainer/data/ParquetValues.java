package dev.prefalign.trainer.data;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Parquet record (the Group API) into the same plain values JSON gives: lists for LIST columns (Hugging Face's
 * {@code list<struct<content, role>>} becomes a list of maps), maps for structs and MAP columns, {@code String} for
 * string columns, and {@code null} for a missing optional value.
 */
final class ParquetValues {

    private ParquetValues() {
    }

    static Map<String, Object> struct(Group group) {
        return struct(group, group.getType());
    }

    private static Map<String, Object> struct(Group group, GroupType type) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int field = 0; field < type.getFieldCount(); field++) {
            Type fieldType = type.getType(field);
            int count = group.getFieldRepetitionCount(field);
            if (fieldType.isRepetition(Type.Repetition.REPEATED)) {
                // A bare repeated field (no LIST annotation) is a list too.
                List<Object> items = new ArrayList<>(count);
                for (int index = 0; index < count; index++) {
                    items.add(value(group, field, index, fieldType));
                }
                values.put(fieldType.getName(), items);
            } else {
                values.put(fieldType.getName(), count == 0 ? null : value(group, field, 0, fieldType));
            }
        }
        return values;
    }

    private static Object value(Group parent, int field, int index, Type type) {
        if (type.isPrimitive()) {
            return primitive(parent, field, index, type.asPrimitiveType());
        }
        GroupType groupType = type.asGroupType();
        Group group = parent.getGroup(field, index);
        LogicalTypeAnnotation annotation = groupType.getLogicalTypeAnnotation();
        if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return list(group, groupType);
        }
        if (annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || annotation == LogicalTypeAnnotation.MapKeyValueTypeAnnotation.getInstance()) {
            return map(group, groupType);
        }
        return struct(group, groupType);
    }

    /** Both the standard three-level layout and the older two-level ones (Parquet's backward-compatibility rules). */
    private static List<Object> list(Group list, GroupType listType) {
        Type repeated = listType.getType(0);
        int count = list.getFieldRepetitionCount(0);
        List<Object> items = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            if (repeatedFieldIsElement(repeated, listType.getName())) {
                items.add(value(list, 0, index, repeated));
            } else {
                Group wrapper = list.getGroup(0, index);
                Type element = repeated.asGroupType().getType(0);
                items.add(wrapper.getFieldRepetitionCount(0) == 0 ? null : value(wrapper, 0, 0, element));
            }
        }
        return items;
    }

    private static boolean repeatedFieldIsElement(Type repeated, String listName) {
        return repeated.isPrimitive()
                || repeated.asGroupType().getFieldCount() > 1
                || repeated.getName().equals("array")
                || repeated.getName().equals(listName + "_tuple");
    }

    private static Map<String, Object> map(Group map, GroupType mapType) {
        GroupType keyValueType = mapType.getType(0).asGroupType();
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int index = 0; index < map.getFieldRepetitionCount(0); index++) {
            Group keyValue = map.getGroup(0, index);
            Object key = value(keyValue, 0, 0, keyValueType.getType(0));
            boolean hasValue = keyValueType.getFieldCount() > 1 && keyValue.getFieldRepetitionCount(1) > 0;
            entries.put(String.valueOf(key), hasValue ? value(keyValue, 1, 0, keyValueType.getType(1)) : null);
        }
        return entries;
    }

    private static Object primitive(Group group, int field, int index, PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> group.getBoolean(field, index);
            case INT32 -> group.getInteger(field, index);
            case INT64 -> group.getLong(field, index);
            case FLOAT -> group.getFloat(field, index);
            case DOUBLE -> group.getDouble(field, index);
            case INT96 -> group.getInt96(field, index).getBytes();
            case BINARY, FIXED_LEN_BYTE_ARRAY -> isText(type.getLogicalTypeAnnotation())
                    ? group.getString(field, index)
                    : group.getBinary(field, index).getBytes();
        };
    }

    private static boolean isText(LogicalTypeAnnotation annotation) {
        return annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    }
}
