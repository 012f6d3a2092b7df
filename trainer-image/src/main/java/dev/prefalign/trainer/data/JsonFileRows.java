package dev.prefalign.trainer.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The rows of a {@code .json} file: a top-level array of objects (streamed, so a large file is not held in memory),
 * or an object with exactly one array, such as {@code {"data": [...]}}. A file of one object per line is read as
 * JSON Lines, as the {@code datasets} library does.
 */
final class JsonFileRows implements RawRowReader.RowIterator {

    private final Path file;
    private final String label;
    private final JsonParser parser;
    private long rowNumber;
    private RawRow next;
    private boolean finished;

    private JsonFileRows(Path file, String label, JsonParser parser) {
        this.file = file;
        this.label = label;
        this.parser = parser;
    }

    static RawRowReader.RowIterator open(Path file, String label) throws DatasetException {
        JsonParser parser = null;
        try {
            parser = JsonLinesRows.MAPPER.getFactory().createParser(file.toFile());
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return new JsonFileRows(file, label, parser);
            }
            if (first == JsonToken.START_OBJECT) {
                Object top = JsonLinesRows.VALUE_READER.readValue(parser);
                boolean moreValues = parser.nextToken() != null;
                parser.close();
                if (moreValues) {
                    return JsonLinesRows.open(file, label);
                }
                return new ListRows(label, rowArray(file, (Map<?, ?>) top));
            }
            parser.close();
            throw new DatasetException("Dataset file " + file + " holds " + (first == null ? "nothing" : "a single value")
                    + ": expected a JSON array of row objects, an object holding one such array, or one object per line.");
        } catch (JsonProcessingException e) {
            closeQuietly(parser);
            throw notJson(file, e);
        } catch (IOException e) {
            closeQuietly(parser);
            throw new DatasetException("Cannot read dataset file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<?> rowArray(Path file, Map<?, ?> top) throws DatasetException {
        List<?> arrayKeys = top.entrySet().stream().filter(e -> e.getValue() instanceof List<?>).map(Map.Entry::getKey).toList();
        if (arrayKeys.size() != 1) {
            throw new DatasetException("Dataset file " + file + " is a JSON object with " + arrayKeys.size()
                    + " arrays " + arrayKeys + " and keys " + top.keySet() + ": expected exactly one array of rows (as in"
                    + " {\"data\": [...]}); put each split in its own file, or write one row object per line (.jsonl).");
        }
        return (List<?>) top.get(arrayKeys.get(0));
    }

    private static DatasetException notJson(Path file, JsonProcessingException e) {
        var where = e.getLocation();
        String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new DatasetException("Dataset file " + file + " is not valid JSON" + position + ": "
                + e.getOriginalMessage() + ". If it holds one object per line, name it .jsonl.", e);
    }

    private static RawRow row(String origin, Object value) {
        if (value instanceof Map<?, ?> object) {
            return new RawRow.Values(origin, JsonLinesRows.stringKeys(object));
        }
        return new RawRow.Malformed(origin, "expected a JSON object, found " + ValueTypes.describe(value));
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        try {
            if (parser.nextToken() == JsonToken.END_ARRAY) {
                finished = true;
                if (parser.nextToken() != null) {
                    throw new UncheckedDatasetException(new DatasetException("Dataset file " + file
                            + " has content after its top-level array (line "
                            + parser.currentTokenLocation().getLineNr() + "): remove it."));
                }
                return false;
            }
            rowNumber++;
            next = row(label + ":row " + rowNumber, JsonLinesRows.VALUE_READER.readValue(parser));
            return true;
        } catch (JsonProcessingException e) {
            throw new UncheckedDatasetException(notJson(file, e));
        } catch (IOException e) {
            throw new UncheckedDatasetException(new DatasetException(
                    "Cannot read dataset file " + file + " after row " + rowNumber + ": " + e.getMessage(), e));
        }
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RawRow row = next;
        next = null;
        return row;
    }

    @Override
    public void close() {
        closeQuietly(parser);
    }

    private static void closeQuietly(JsonParser parser) {
        try {
            if (parser != null) {
                parser.close();
            }
        } catch (IOException e) {
            // Read-only: nothing is lost when closing fails.
        }
    }

    /** The rows of an array that is already in memory. */
    private static final class ListRows implements RawRowReader.RowIterator {
        private final String label;
        private final Iterator<?> values;
        private long rowNumber;

        ListRows(String label, List<?> values) {
            this.label = label;
            this.values = values.iterator();
        }

        @Override
        public boolean hasNext() {
            return values.hasNext();
        }

        @Override
        public RawRow next() {
            rowNumber++;
            return row(label + ":row " + rowNumber, values.next());
        }

        @Override
        public void close() {
            // Nothing open: the file was read and closed in open().
        }
    }
}
