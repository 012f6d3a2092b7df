package dev.prefalign.trainer.safetensors;

import static dev.prefalign.trainer.safetensors.RawSafetensors.concat;
import static dev.prefalign.trainer.safetensors.RawSafetensors.f32;
import static dev.prefalign.trainer.safetensors.RawSafetensors.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsAHandWrittenFileOfEverySupportedDtype() throws IOException {
        // Header order differs from data order, and the header is not padded: both are allowed.
        String header = """
                {"bf16": {"dtype": "BF16", "shape": [2], "data_offsets": [24, 28]},
                 "__metadata__": {"format": "pt", "note": "hand made"},
                 "f32": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                 "f16": {"dtype": "F16", "shape": [4], "data_offsets": [16, 24]},
                 "scalar": {"dtype": "F32", "shape": [], "data_offsets": [28, 32]},
                 "empty": {"dtype": "F16", "shape": [0, 3], "data_offsets": [32, 32]}}""";
        byte[] data = concat(f32(1.5f, -2.25f, 3e-8f, 1e30f), u16(0x3c00, 0xc000, 0x7bff, 0x0001),
                u16(0x3f80, 0x4049), f32(42f));
        Path file = RawSafetensors.write(dir.resolve("hand.safetensors"), header, data);

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.names()).containsExactly("bf16", "f32", "f16", "scalar", "empty");
            assertThat(reader.metadata()).isEqualTo(Map.of("format", "pt", "note", "hand made"));
            assertThat(reader.dtype("f32")).isEqualTo(DType.F32);
            assertThat(reader.dtype("f16")).isEqualTo(DType.F16);
            assertThat(reader.dtype("bf16")).isEqualTo(DType.BF16);
            assertThat(reader.shape("f32")).containsExactly(2, 2);
            assertThat(reader.readFloats("f32")).containsExactly(1.5f, -2.25f, 3e-8f, 1e30f);
            assertThat(reader.readFloats("f16")).containsExactly(1.0f, -2.0f, 65504f, Math.scalb(1f, -24));
            assertThat(reader.readFloats("bf16")).containsExactly(1.0f, 3.140625f);
            TensorData scalar = reader.read("scalar");
            assertThat(scalar.shape()).isEmpty();
            assertThat(scalar.values()).containsExactly(42f);
            TensorData empty = reader.read("empty");
            assertThat(empty.shape()).containsExactly(0, 3);
            assertThat(empty.values()).isEmpty();
        }
    }

    @Test
    void readsTensorsBeyondTwoGibibytes() throws IOException {
        long far = 3L << 30;
        String header = "{\"filler\": {\"dtype\": \"U8\", \"shape\": [" + far + "], \"data_offsets\": [0, " + far
                + "]}, \"far\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [" + far + ", " + (far + 8)
                + "]}}";
        Path file = RawSafetensors.write(dir.resolve("big.safetensors"), header, new byte[0]);
        long dataStart = Files.size(file);
        // Sparse: only the last 8 bytes are written, so the test needs no 3 GiB of disk.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(f32(7.5f, -0.125f)), dataStart + far);
        }

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("far")).containsExactly(7.5f, -0.125f);
            assertThatThrownBy(() -> reader.readFloats("filler")).isInstanceOf(UnsupportedDtypeException.class);
        }
    }

    @Test
    void unsupportedDtypeNamesTensorFileAndTheSupportedDtypes() throws IOException {
        String header = "{\"position_ids\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]},"
                + " \"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [16, 24]}}";
        Path file = RawSafetensors.write(dir.resolve("ints.safetensors"), header, new byte[24]);

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.dtypeName("position_ids")).isEqualTo("I64");
            assertThatThrownBy(() -> reader.readFloats("position_ids"))
                    .isInstanceOf(UnsupportedDtypeException.class)
                    .hasMessageContaining("ints.safetensors")
                    .hasMessageContaining("'position_ids'")
                    .hasMessageContaining("I64")
                    .hasMessageContaining("F32, F16, BF16");
            assertThatThrownBy(() -> reader.read("w"))
                    .isInstanceOf(UnsupportedDtypeException.class)
                    .hasMessageContaining("'w'")
                    .hasMessageContaining("F64");
            assertThatThrownBy(() -> reader.dtype("w"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(UnsupportedDtypeException.class);
        }
    }

    @Test
    void fileShorterThanTheLengthFieldIsTruncated() throws IOException {
        Path file = dir.resolve("stub.safetensors");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});

        assertOpenFails(file, "stub.safetensors", "5 bytes", "truncated");
    }

    @Test
    void headerLengthLargerThanTheFileIsRejected() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        ByteBuffer bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Files.write(file, bytes.array());

        assertOpenFails(file, "cut.safetensors", "header length 1000 is larger than the file (20 bytes)");
    }

    @Test
    void negativeHeaderLengthIsReportedUnsigned() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());

        assertOpenFails(file, "huge.safetensors", "header length 18446744073709551615 is larger than the file");
    }

    @Test
    void badJsonIsRejected() throws IOException {
        assertOpenFails(RawSafetensors.write(dir.resolve("a.safetensors"), "{\"w\": {\"dtype\": ", new byte[0]),
                "a.safetensors", "header is not valid JSON");
        assertOpenFails(RawSafetensors.write(dir.resolve("b.safetensors"), "[1, 2]", new byte[0]),
                "b.safetensors", "header must be a JSON object");
        String duplicate = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}";
        assertOpenFails(RawSafetensors.write(dir.resolve("c.safetensors"), duplicate, new byte[8]),
                "c.safetensors", "not valid JSON", "Duplicate field 'w'");
        assertOpenFails(RawSafetensors.write(dir.resolve("d.safetensors"), "{\"__metadata__\": {\"n\": 1}}",
                new byte[0]), "d.safetensors", "__metadata__ value for 'n' must be a string");
    }

    @Test
    void malformedEntriesNameTheTensor() throws IOException {
        assertOpenFails(entryFile("e1", "{\"shape\": [1], \"data_offsets\": [0, 4]}", 4),
                "e1.safetensors", "'w'", "needs a string \"dtype\"");
        assertOpenFails(entryFile("e2", "{\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}", 4),
                "e2.safetensors", "'w'", "\"shape\" must be an array of non-negative integers");
        assertOpenFails(entryFile("e3", "{\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}", 4),
                "e3.safetensors", "'w'", "\"shape\"");
        assertOpenFails(entryFile("e4", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}", 4),
                "e4.safetensors", "'w'", "\"data_offsets\" must be an array of 2 non-negative integers");
        assertOpenFails(entryFile("e5", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}", 4),
                "e5.safetensors", "'w'", "end before they begin");
        assertOpenFails(entryFile("e6", "[1]", 4), "e6.safetensors", "'w'", "header entry must be an object");
    }

    @Test
    void offsetsBeyondTheDataAreOutOfRange() throws IOException {
        Path file = entryFile("short", "{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}", 8);

        assertOpenFails(file, "short.safetensors", "'w'", "data_offsets [0, 16] are out of range",
                "only 8 bytes", "truncated");
    }

    @Test
    void overlappingOffsetsAreRejected() throws IOException {
        String header = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}";
        Path file = RawSafetensors.write(dir.resolve("overlap.safetensors"), header, new byte[12]);

        assertOpenFails(file, "overlap.safetensors", "'b'", "overlap those of tensor 'a'");
    }

    @Test
    void shapeThatDisagreesWithTheOffsetsIsRejected() throws IOException {
        Path file = entryFile("mismatch", "{\"dtype\": \"BF16\", \"shape\": [3, 2], \"data_offsets\": [0, 8]}", 8);

        assertOpenFails(file, "mismatch.safetensors", "'w'", "shape [3, 2] of BF16 needs 12 bytes",
                "span 8");
    }

    @Test
    void sizesOfUnsupportedDtypesAreCheckedToo() throws IOException {
        Path file = entryFile("i64", "{\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 8]}", 8);

        assertOpenFails(file, "i64.safetensors", "'w'", "needs 16 bytes");
    }

    @Test
    void missingTensorNamesTensorAndFile() throws IOException {
        Path file = entryFile("one", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}", 4);

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThatThrownBy(() -> reader.read("lm_head.weight"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("one.safetensors")
                    .hasMessageContaining("'lm_head.weight'")
                    .hasMessageContaining("no such tensor");
            assertThatThrownBy(() -> reader.shape("lm_head.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one.safetensors")
                    .hasMessageContaining("'lm_head.weight'");
        }
    }

    @Test
    void exceptionExposesFileAndTensor() throws IOException {
        Path file = entryFile("expose", "{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}", 8);

        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOfSatisfying(SafetensorsException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.tensor()).contains("w");
                });
    }

    @Test
    void headerIsReadAsUtf8() throws IOException {
        String header = "{\"gewicht_\u00e4\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}";
        Path file = RawSafetensors.write(dir.resolve("utf8.safetensors"), header, f32(2f));

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.names()).containsExactly("gewicht_\u00e4");
            assertThat(header.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(header.length());
        }
    }
    private Path entryFile(String stem, String entryJson, int dataBytes) throws IOException {
        return RawSafetensors.write(dir.resolve(stem + ".safetensors"), "{\"w\": " + entryJson + "}",
                new byte[dataBytes]);
    }

    private static void assertOpenFails(Path file, String... messageParts) {
        assertThatThrownBy(() -> SafetensorsReader.open(file).close())
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll(messageParts);
    }

}
