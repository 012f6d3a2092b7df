package dev.prefalign.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a split's files row by row through a {@link RowParser}: settles the format, applies the invalid-row policy and
 * stops after {@code maxSamples} examples without reading further.
 */
final class ExampleCollector<T> {

    private final RowParser<T> parser;
    private final Path source;
    private final InvalidRowPolicy policy;
    private final int maxSamples;
    private final List<T> examples = new ArrayList<>();
    private final List<String> skipReasons = new ArrayList<>();
    private int skippedRows;
    private ResolvedFormat format;

    private ExampleCollector(RowParser<T> parser, Path source, DatasetFormat format, InvalidRowPolicy policy,
            int maxSamples) {
        this.parser = parser;
        this.source = source;
        this.policy = policy;
        this.maxSamples = maxSamples;
        this.format = format == DatasetFormat.AUTO ? null : ResolvedFormat.configured(format);
    }

    static <T> DatasetReadResult<T> read(RowParser<T> parser, Path source, String split, DatasetFormat format,
            InvalidRowPolicy policy, int maxSamples) throws DatasetException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(policy, "policy");
        if (maxSamples < 0) {
            throw new IllegalArgumentException("maxSamples must be 0 (all) or positive, not " + maxSamples);
        }
        ExampleCollector<T> collector = new ExampleCollector<>(parser, source, format, policy, maxSamples);
        for (Path file : DatasetSources.resolve(source, split)) {
            if (collector.readFile(file, label(source, file))) {
                break;
            }
        }
        return new DatasetReadResult<>(collector.examples, collector.skippedRows, collector.skipReasons);
    }

    /** A file's name in origins: its path inside the dataset folder, or its name when the source is the file. */
    private static String label(Path source, Path file) {
        return Files.isDirectory(source)
                ? DatasetSources.slashed(source.relativize(file))
                : file.getFileName().toString();
    }

    /** Returns true once {@code maxSamples} examples are collected. */
    private boolean readFile(Path file, String label) throws DatasetException {
        try (Stream<RawRow> rows = RawRowReader.rows(file, label)) {
            Iterator<RawRow> iterator = rows.iterator();
            while (iterator.hasNext()) {
                accept(iterator.next());
                if (maxSamples > 0 && examples.size() >= maxSamples) {
                    return true;
                }
            }
            return false;
        } catch (UncheckedDatasetException e) {
            throw e.getCause();
        }
    }

    private void accept(RawRow row) throws DatasetException {
        try {
            examples.add(parse(row));
        } catch (InvalidRowException e) {
            String reason = row.origin() + ": " + e.getMessage();
            if (policy == InvalidRowPolicy.FAIL) {
                throw new DatasetException("Invalid row at " + reason + " (dataset " + source + "). Fix or remove the row.");
            }
            skippedRows++;
            if (skipReasons.size() < DatasetReadResult.MAX_SKIP_REASONS) {
                skipReasons.add(reason);
            }
        }
    }

    private T parse(RawRow row) throws InvalidRowException {
        if (row instanceof RawRow.Malformed malformed) {
            throw new InvalidRowException(null, malformed.problem());
        }
        RowColumns columns = new RowColumns((RawRow.Values) row);
        ResolvedFormat rowFormat = format != null
                ? format
                : ResolvedFormat.detected(parser.detect(columns), row.origin());
        T example = parser.parse(columns, rowFormat);
        // With AUTO the first valid row decides for the whole dataset.
        format = rowFormat;
        return example;
    }
}
