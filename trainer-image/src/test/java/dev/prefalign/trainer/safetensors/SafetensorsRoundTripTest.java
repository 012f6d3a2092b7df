package dev.prefalign.trainer.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static final float[] SPECIAL = {0f, -0f, 1f, -2f, 0.1f, 65504f, 65520f, 1e-7f, Math.scalb(1f, -25),
        Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x3f80_8000), Float.intBitsToFloat(0x3f81_8000)};

    private static List<TensorData> sample() {
        SplittableRandom random = new SplittableRandom(11);
        float[] matrix = new float[6 * 7];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian() * 0.02f;
        }
        return List.of(
                new TensorData("model.embed_tokens.weight", new long[] {6, 7}, matrix),
                new TensorData("special", new long[] {SPECIAL.length}, SPECIAL.clone()),
                new TensorData("scalar", new long[0], new float[] {3.25f}),
                new TensorData("empty", new long[] {0, 4}, new float[0]));
    }

    @Test
    void f32RoundTripIsExact() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(file, sample(), DType.F32, Map.of("format", "pt"));

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.names()).containsExactly("model.embed_tokens.weight", "special", "scalar", "empty");
            assertThat(reader.metadata()).isEqualTo(Map.of("format", "pt"));
            for (TensorData expected : sample()) {
                TensorData actual = reader.read(expected.name());
                assertThat(actual).isEqualTo(expected);
                assertThat(reader.dtype(expected.name())).isEqualTo(DType.F32);
            }
        }
    }

    @Test
    void f16AndBf16RoundTripsGiveTheRoundedValues() throws IOException {
        for (DType dtype : List.of(DType.F16, DType.BF16)) {
            Path file = dir.resolve(dtype + ".safetensors");
            SafetensorsWriter.write(file, sample(), dtype, null);

            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                assertThat(reader.metadata()).isEmpty();
                for (TensorData original : sample()) {
                    assertThat(reader.dtype(original.name())).isEqualTo(dtype);
                    assertThat(reader.shape(original.name())).containsExactly(original.shape());
                    assertThat(reader.readFloats(original.name())).as("%s %s", dtype, original.name())
                            .containsExactly(rounded(original.values(), dtype));
                }
            }
            assertThat(Files.size(file) - headerEnd(file)).isEqualTo(2L * (42 + SPECIAL.length + 1));
        }
    }

    @Test
    void tensorsLargerThanOneChunkRoundTrip() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[3_000_001];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-4, 4);
        }
        TensorData big = new TensorData("big", new long[] {values.length}, values);
        for (DType dtype : DType.values()) {
            Path file = dir.resolve("big-" + dtype + ".safetensors");
            SafetensorsWriter.write(file, List.of(big), dtype, Map.of());
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                assertThat(reader.readFloats("big")).isEqualTo(rounded(values, dtype));
            }
        }
    }

    @Test
    void headerIsPaddedToEightBytesWithSpaces() throws IOException {
        for (int nameLength = 1; nameLength <= 8; nameLength++) {
            Path file = dir.resolve("pad" + nameLength + ".safetensors");
            TensorData tensor = new TensorData("w".repeat(nameLength), new long[] {1}, new float[] {1f});
            SafetensorsWriter.write(file, List.of(tensor), DType.F32, Map.of());

            long headerEnd = headerEnd(file);
            assertThat(headerEnd % 8).isZero();
            byte[] bytes = Files.readAllBytes(file);
            String header = new String(bytes, 8, (int) headerEnd - 8, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(header).startsWith("{").matches("(?s)\\{.*\\} *");
        }
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, sample(), DType.F32, Map.of());
        TensorData replacement = new TensorData("only", new long[] {2}, new float[] {5f, 6f});
        SafetensorsWriter.write(file, List.of(replacement), DType.BF16, Map.of());

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.names()).containsExactly("only");
            assertThat(reader.read("only")).isEqualTo(replacement);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writerRejectsDuplicateAndReservedNamesWithoutTouchingTheFile() {
        Path file = dir.resolve("bad.safetensors");
        TensorData w = new TensorData("w", new long[] {1}, new float[] {1f});

        assertThatThrownBy(() -> SafetensorsWriter.write(file, List.of(w, w), DType.F32, Map.of()))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("bad.safetensors", "'w'", "appears twice");
        TensorData reserved = new TensorData("__metadata__", new long[] {1}, new float[] {1f});
        assertThatThrownBy(() -> SafetensorsWriter.write(file, List.of(reserved), DType.F32, Map.of()))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContainingAll("bad.safetensors", "reserved");
        assertThat(dir.resolve("bad.safetensors")).doesNotExist();
    }

    @Test
    void tensorDataChecksItsShape() {
        assertThatThrownBy(() -> new TensorData("w", new long[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("'w'", "[2, 3]", "6", "5");
        assertThatThrownBy(() -> new TensorData("w", new long[] {-1}, new float[0]))
                .hasMessageContaining("negative dimension");
        long[] shape = {2};
        TensorData tensor = new TensorData("w", shape, new float[2]);
        shape[0] = 3;
        tensor.shape()[0] = 4;
        assertThat(tensor.shape()).containsExactly(2);
        assertThat(tensor.toString()).isEqualTo("TensorData[w [2]]");
    }

    private static float[] rounded(float[] values, DType dtype) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = switch (dtype) {
                case F32 -> values[i];
                case F16 -> Float16.halfToFloat(Float16.floatToHalf(values[i]));
                case BF16 -> Float16.bf16ToFloat(Float16.floatToBf16(values[i]));
            };
        }
        return out;
    }

    /** 8 + the header length from the file's first 8 bytes. */
    private static long headerEnd(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            return 8 + length.flip().getLong();
        }
    }
}
