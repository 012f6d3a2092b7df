package dev.prefalign.trainer.data;

import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows of a Parquet file, one row group in memory at a time. Reads through parquet-floor's Hadoop-free classpath
 * with Parquet's Group API, which (unlike parquet-floor's own flat reader) keeps nested lists of structs intact.
 */
final class ParquetRows implements RawRowReader.RowIterator {

    private final Path file;
    private final String label;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    private RecordReader<Group> records;
    private long rowsLeftInGroup;
    private long rowNumber;

    private ParquetRows(Path file, String label, ParquetFileReader reader) {
        this.file = file;
        this.label = label;
        this.reader = reader;
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.columnIO = new ColumnIOFactory().getColumnIO(schema);
    }

    /** The codecs parquet-floor decompresses; the others (GZIP, LZO, BROTLI, LZ4) need Hadoop's codec classes. */
    static final Set<CompressionCodecName> READABLE_CODECS = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW);

    static ParquetRows open(Path file, String label) throws DatasetException {
        ParquetFileReader reader = null;
        try {
            reader = ParquetFileReader.open(new LocalInputFile(file));
            requireReadableCodecs(file, reader);
            return new ParquetRows(file, label, reader);
        } catch (IOException | RuntimeException | LinkageError e) {
            closeQuietly(reader);
            throw cannotRead(file, "the footer", e);
        } catch (DatasetException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static void requireReadableCodecs(Path file, ParquetFileReader reader) throws DatasetException {
        Set<CompressionCodecName> unreadable = reader.getFooter().getBlocks().stream()
                .flatMap(block -> block.getColumns().stream())
                .map(ColumnChunkMetaData::getCodec)
                .filter(codec -> !READABLE_CODECS.contains(codec))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(CompressionCodecName.class)));
        if (!unreadable.isEmpty()) {
            throw new DatasetException("Parquet file " + file + " is compressed with " + unreadable.stream().map(Enum::name)
                    .collect(Collectors.joining(", ")) + ", which"
                    + " parquet-floor (Parquet without Hadoop) cannot decompress: rewrite it with SNAPPY, ZSTD or no"
                    + " compression (pandas/pyarrow: compression='snappy'), or convert it to JSON Lines.");
        }
    }

    /** Names the library, because its limits (no Hadoop) are a likely cause. */
    private static DatasetException cannotRead(Path file, String part, Throwable cause) {
        return new DatasetException("Cannot read " + part + " of Parquet file " + file + " with parquet-floor (Parquet"
                + " without Hadoop): " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ". Check that"
                + " the file is complete; if it is, rewrite it with SNAPPY, ZSTD or no compression, or convert it to"
                + " JSON Lines.", cause);
    }

    @Override
    public boolean hasNext() {
        if (rowsLeftInGroup > 0) {
            return true;
        }
        try {
            PageReadStore rowGroup;
            do {
                rowGroup = reader.readNextRowGroup();
                if (rowGroup == null) {
                    return false;
                }
            } while (rowGroup.getRowCount() == 0);
            records = columnIO.getRecordReader(rowGroup, new GroupRecordConverter(schema));
            rowsLeftInGroup = rowGroup.getRowCount();
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new UncheckedDatasetException(cannotRead(file, "the row group after row " + rowNumber, e));
        }
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        rowNumber++;
        rowsLeftInGroup--;
        try {
            return new RawRow.Values(label + ":row " + rowNumber, ParquetValues.struct(records.read()));
        } catch (RuntimeException | LinkageError e) {
            throw new UncheckedDatasetException(cannotRead(file, "row " + rowNumber, e));
        }
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static void closeQuietly(ParquetFileReader reader) {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            // Read-only: nothing is lost when closing fails.
        }
    }
}
