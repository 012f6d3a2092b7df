package dev.prefalign.trainer.data;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes test datasets. Parquet goes through Parquet's Group API on parquet-floor's Hadoop-free classpath, because
 * parquet-floor's own writer only writes flat columns and the Hub's conversational columns are
 * {@code list<struct<content, role>>}. Public so that tests outside this package (the examples' stand-in Hub datasets)
 * write Parquet the same way.
 */
public final class TestFiles {

    private TestFiles() {
    }

    static Path write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** A text column as pyarrow writes it. */
    public static String textColumn(String name) {
        return "optional binary " + name + " (STRING);";
    }

    /** A float64 column as pyarrow writes it (e.g. the Hub's {@code score_chosen}). */
    public static String doubleColumn(String name) {
        return "optional double " + name + ";";
    }

    /** A message-list column as pyarrow writes a Hugging Face {@code [{content, role}]} feature: three-level LIST. */
    public static String messagesColumn(String name) {
        return "optional group " + name + " (LIST) { repeated group list { optional group element {"
                + " optional binary content (STRING); optional binary role (STRING); } } }";
    }

    public static MessageType schema(String... columns) {
        return MessageTypeParser.parseMessageType("message schema { " + String.join(" ", columns) + " }");
    }

    public static SimpleGroupFactory rows(MessageType schema) {
        return new SimpleGroupFactory(schema);
    }

    public static Group addMessages(Group row, String column, Message... messages) {
        Group list = row.addGroup(column);
        for (Message message : messages) {
            list.addGroup("list").addGroup("element").append("content", message.content()).append("role", message.role());
        }
        return row;
    }

    /** SNAPPY, as the Hub's Parquet conversions use. */
    public static Path writeParquet(Path file, MessageType schema, List<Group> rows) throws IOException {
        return writeParquet(file, rows, ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY));
    }

    static Path writeParquet(Path file, List<Group> rows, ExampleParquetWriter.Builder builder) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (ParquetWriter<Group> writer = builder.build()) {
            for (Group row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    /**
     * Writes GZIP pages with java.util.zip, because Parquet's own GZIP codec needs Hadoop classes that parquet-floor
     * leaves out (which is also why such files cannot be read).
     */
    static CompressionCodecFactory gzipOnlyCodecs() {
        CompressionCodecFactory.BytesInputCompressor gzip = new CompressionCodecFactory.BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
                    bytes.writeAllTo(out);
                }
                return BytesInput.from(compressed.toByteArray());
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.GZIP;
            }

            @Override
            public void release() {
            }
        };
        return new CompressionCodecFactory() {
            @Override
            public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
                return gzip;
            }

            @Override
            public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
                throw new UnsupportedOperationException("writing only");
            }

            @Override
            public void release() {
            }
        };
    }

    static Message user(String content) {
        return new Message("user", content);
    }

    static Message assistant(String content) {
        return new Message("assistant", content);
    }

    static Message system(String content) {
        return new Message("system", content);
    }
}
