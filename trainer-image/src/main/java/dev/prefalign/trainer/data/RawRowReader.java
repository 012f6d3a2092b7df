package dev.prefalign.trainer.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the rows of one data file ({@code .jsonl}, {@code .json} or {@code .parquet}) lazily, in file order.
 * Close the stream. A failure of the file itself (I/O, a broken Parquet file) surfaces while iterating as an
 * {@link UncheckedDatasetException}; a malformed JSON line is a {@link RawRow.Malformed} row instead, so that the
 * invalid-row policy decides about it.
 */
public final class RawRowReader {

    private RawRowReader() {
    }

    /** The rows of {@code file}, with origins that start with the file's name. */
    public static Stream<RawRow> rows(Path file) throws DatasetException {
        return rows(file, file.getFileName().toString());
    }

    /** The rows of {@code file}, with origins that start with {@code label} (its path inside a dataset folder). */
    public static Stream<RawRow> rows(Path file, String label) throws DatasetException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) {
            return stream(JsonLinesRows.open(file, label));
        }
        if (name.endsWith(".json")) {
            return stream(JsonFileRows.open(file, label));
        }
        if (name.endsWith(".parquet")) {
            return stream(ParquetRows.open(file, label));
        }
        throw new DatasetException("Dataset file " + file + " has an unsupported type: use .jsonl, .json or .parquet.");
    }

    /** A row source: an iterator over a file that must be closed. */
    interface RowIterator extends Iterator<RawRow>, AutoCloseable {
        @Override
        void close();
    }

    private static Stream<RawRow> stream(RowIterator rows) {
        Spliterator<RawRow> spliterator = Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(rows::close);
    }
}
