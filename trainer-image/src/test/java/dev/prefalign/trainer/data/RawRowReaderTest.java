package dev.prefalign.trainer.data;

import blue.strategic.parquet.ParquetReader;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.prefalign.trainer.data.TestFiles.assistant;
import static dev.prefalign.trainer.data.TestFiles.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class RawRowReaderTest {

    @TempDir
    Path dir;

    private static List<RawRow> readAll(Path file) throws DatasetException {
        try (Stream<RawRow> rows = RawRowReader.rows(file)) {
            return rows.toList();
        } catch (UncheckedDatasetException e) {
            throw e.getCause();
        }
    }

    private static Map<String, Object> columns(RawRow row) {
        assertThat(row).isInstanceOf(RawRow.Values.class);
        return ((RawRow.Values) row).columns();
    }

    @Test
    void jsonLinesSkipBlankLinesAndNumberRowsByLine() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.jsonl"),
                "\uFEFF{\"a\": \"x\", \"n\": 3, \"f\": 0.5, \"ok\": true, \"none\": null}",
                "",
                "   ",
                "{\"a\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        List<RawRow> rows = readAll(file);

        assertThat(rows).extracting(RawRow::origin).containsExactly("rows.jsonl:line 1", "rows.jsonl:line 4");
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("a", "x");
        first.put("n", 3);
        first.put("f", 0.5);
        first.put("ok", true);
        first.put("none", null);
        assertThat(columns(rows.get(0))).containsExactlyEntriesOf(first);
        assertThat(columns(rows.get(1)).get("a")).isEqualTo(List.of(Map.of("role", "user", "content", "hi")));
    }

    @Test
    void malformedJsonLinesAreRowsWithTheParserMessage() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.jsonl"),
                "{\"a\": \"x\"",
                "[1, 2]",
                "{\"a\": 1} {\"b\": 2}",
                "{\"a\": 2}");

        List<RawRow> rows = readAll(file);

        assertThat(rows.get(0)).isInstanceOf(RawRow.Malformed.class);
        assertThat(((RawRow.Malformed) rows.get(0)).problem()).startsWith("malformed JSON at column ");
        assertThat(((RawRow.Malformed) rows.get(1)).problem()).isEqualTo("expected a JSON object, found a list");
        assertThat(((RawRow.Malformed) rows.get(2)).problem()).isEqualTo("malformed JSON at column 10: a second value follows the first; write one object per line");
        assertThat(columns(rows.get(3))).containsEntry("a", 2);
        assertThat(rows.get(3).origin()).isEqualTo("rows.jsonl:line 4");
    }

    @Test
    void jsonArrayRowsAreNumberedFromOne() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.json"), "[", "  {\"a\": 1},", "  \"oops\",", "  {\"a\": 3}", "]");

        List<RawRow> rows = readAll(file);

        assertThat(rows).extracting(RawRow::origin).containsExactly("rows.json:row 1", "rows.json:row 2", "rows.json:row 3");
        assertThat(columns(rows.get(0))).containsEntry("a", 1);
        assertThat(((RawRow.Malformed) rows.get(1)).problem()).isEqualTo("expected a JSON object, found text");
        assertThat(columns(rows.get(2))).containsEntry("a", 3);
    }

    @Test
    void jsonObjectWithOneArrayOfRows() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.json"), "{\"version\": \"1.0\", \"data\": [{\"a\": 1}, {\"a\": 2}]}");

        assertThat(readAll(file)).extracting(row -> columns(row).get("a")).containsExactly(1, 2);
    }

    @Test
    void jsonObjectWithSeveralArraysIsAnError() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.json"), "{\"train\": [{\"a\": 1}], \"test\": [{\"a\": 2}]}");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("rows.json is a JSON object with 2 arrays [train, test]");
    }

    @Test
    void jsonLinesNamedJsonAreReadAsLines() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.json"), "{\"a\": 1}", "{\"a\": 2}");

        assertThat(readAll(file)).extracting(RawRow::origin).containsExactly("rows.json:line 1", "rows.json:line 2");
    }

    @Test
    void brokenJsonFileNamesLineAndColumn() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.json"), "[", "  {\"a\": 1},", "  {\"a\": }", "]");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("rows.json is not valid JSON at line 3, column");
        Path scalar = TestFiles.write(dir.resolve("scalar.json"), "42");
        assertThatThrownBy(() -> readAll(scalar)).hasMessageContaining("holds a single value");
    }

    @Test
    void parquetNestedListsOfStructsBecomeListsOfMaps() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.textColumn("prompt"), TestFiles.messagesColumn("chosen"),
                "optional double score;", "optional int64 id;", "optional boolean flag;");
        SimpleGroupFactory rows = TestFiles.rows(schema);
        Group first = rows.newGroup().append("prompt", "Hi").append("score", 7.5).append("id", 12L).append("flag", true);
        TestFiles.addMessages(first, "chosen", user("Hi"), assistant("Hello!"));
        Group second = rows.newGroup().append("id", 13L);
        TestFiles.addMessages(second, "chosen");
        Path file = TestFiles.writeParquet(dir.resolve("rows.parquet"), schema, List.of(first, second));

        List<RawRow> read = readAll(file);

        assertThat(read).extracting(RawRow::origin).containsExactly("rows.parquet:row 1", "rows.parquet:row 2");
        assertThat(columns(read.get(0))).containsEntry("prompt", "Hi").containsEntry("score", 7.5)
                .containsEntry("id", 12L).containsEntry("flag", true)
                .containsEntry("chosen", List.of(Map.of("content", "Hi", "role", "user"),
                        Map.of("content", "Hello!", "role", "assistant")));
        assertThat(columns(read.get(1))).containsEntry("prompt", null).containsEntry("chosen", List.of())
                .containsEntry("score", null);
    }

    @Test
    void parquetLegacyListsMapsAndBinary() throws Exception {
        MessageType schema = TestFiles.schema(
                "optional group tags (LIST) { repeated binary array (STRING); }",
                "optional group pairs (LIST) { repeated group array { optional binary role (STRING); optional binary content (STRING); } }",
                "repeated int32 numbers;",
                "optional group meta (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }",
                "optional binary raw;");
        Group row = TestFiles.rows(schema).newGroup();
        row.addGroup("tags").append("array", "a").append("array", "b");
        row.addGroup("pairs").addGroup("array").append("role", "user").append("content", "x");
        row.append("numbers", 1).append("numbers", 2);
        row.addGroup("meta").addGroup("key_value").append("key", "k").append("value", 5);
        row.append("raw", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[] {1, 2}));
        Path file = TestFiles.writeParquet(dir.resolve("legacy.parquet"), schema, List.of(row));

        Map<String, Object> values = columns(readAll(file).get(0));

        assertThat(values).containsEntry("tags", List.of("a", "b"))
                .containsEntry("pairs", List.of(Map.of("role", "user", "content", "x")))
                .containsEntry("numbers", List.of(1, 2))
                .containsEntry("meta", Map.of("k", 5));
        assertThat(Arrays.equals((byte[]) values.get("raw"), new byte[] {1, 2})).isTrue();
    }

    @Test
    void unreadableParquetNamesParquetFloor() throws Exception {
        Path file = dir.resolve("broken.parquet");
        Files.write(file, new byte[] {'P', 'A', 'R', '1', 0, 0, 0, 0, 'P', 'A', 'R', '1'});

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("Cannot read the footer of Parquet file")
                .hasMessageContaining("broken.parquet with parquet-floor");
    }

    @Test
    void parquetRowsAreNumberedAcrossRowGroups() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.textColumn("text"));
        SimpleGroupFactory rows = TestFiles.rows(schema);
        List<Group> groups = IntStream.range(0, 5).mapToObj(i -> rows.newGroup().append("text", "row " + i)).toList();
        Path file = dir.resolve("groups.parquet");
        // A tiny row group size and a size check after every row: one row group per row.
        TestFiles.writeParquet(file, groups, ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withRowGroupSize(1L).withMinRowCountForPageSizeCheck(1).withMaxRowCountForPageSizeCheck(1));
        assertThat(ParquetReader.readMetadata(file.toFile()).getBlocks()).hasSizeGreaterThan(1);

        assertThat(readAll(file)).extracting(RawRow::origin, row -> columns(row).get("text")).containsExactly(
                tuple("groups.parquet:row 1", "row 0"), tuple("groups.parquet:row 2", "row 1"),
                tuple("groups.parquet:row 3", "row 2"), tuple("groups.parquet:row 4", "row 3"),
                tuple("groups.parquet:row 5", "row 4"));
    }

    @Test
    void gzipParquetIsRefusedWithTheReason() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.textColumn("text"));
        Path file = dir.resolve("gzip.parquet");
        TestFiles.writeParquet(file, List.of(TestFiles.rows(schema).newGroup().append("text", "hello")),
                ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                        .withCodecFactory(TestFiles.gzipOnlyCodecs()).withCompressionCodec(CompressionCodecName.GZIP));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("gzip.parquet is compressed with GZIP, which parquet-floor (Parquet without"
                        + " Hadoop) cannot decompress");
    }

    @Test
    void unsupportedExtension() throws Exception {
        Path file = TestFiles.write(dir.resolve("rows.csv"), "a,b");

        assertThatThrownBy(() -> RawRowReader.rows(file)).hasMessageContaining("unsupported type");
    }
}
