package dev.prefalign.trainer.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/** The rows of a JSON Lines file: one object per line; blank lines are skipped, a malformed line is a row too. */
final class JsonLinesRows implements RawRowReader.RowIterator {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads plain Java values: LinkedHashMap, ArrayList, String, numbers, Boolean, null. */
    static final ObjectReader VALUE_READER = MAPPER.readerFor(Object.class);

    private final Path file;
    private final String label;
    private final BufferedReader reader;
    private long lineNumber;
    private RawRow next;

    private JsonLinesRows(Path file, String label, BufferedReader reader) {
        this.file = file;
        this.label = label;
        this.reader = reader;
    }

    static JsonLinesRows open(Path file, String label) throws DatasetException {
        try {
            return new JsonLinesRows(file, label, Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DatasetException("Cannot open dataset file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Interprets one non-blank line as one row. */
    static RawRow parseLine(String line, String origin) {
        try (JsonParser parser = MAPPER.createParser(line)) {
            Object value = VALUE_READER.readValue(parser);
            if (parser.nextToken() != null) {
                return new RawRow.Malformed(origin, "malformed JSON at column " + parser.currentTokenLocation().getColumnNr()
                        + ": a second value follows the first; write one object per line");
            }
            if (value instanceof Map<?, ?> object) {
                return new RawRow.Values(origin, stringKeys(object));
            }
            return new RawRow.Malformed(origin, "expected a JSON object, found " + ValueTypes.describe(value));
        } catch (JsonProcessingException e) {
            return new RawRow.Malformed(origin, "malformed JSON at column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source has no I/O to fail
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stringKeys(Map<?, ?> object) {
        // Jackson's untyped objects always have String keys.
        return (Map<String, Object>) object;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte order mark written by some editors
                }
                if (!line.isBlank()) {
                    next = parseLine(line, label + ":line " + lineNumber);
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedDatasetException(new DatasetException(
                    "Cannot read dataset file " + file + " after line " + lineNumber + ": " + e.getMessage(), e));
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
        try {
            reader.close();
        } catch (IOException e) {
            // Nothing was written; a failed close of a file read to the end loses nothing.
        }
    }
}
