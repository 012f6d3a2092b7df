package dev.prefalign.trainer.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares our conversions with PyTorch's, bit for bit, on the file written by
 * {@code src/test/python/make_safetensors_golden.py} (by hand, without our writer or the safetensors package).
 */
class TorchGoldenTest {

    private static float[] input;
    private static float[] f16;
    private static float[] bf16;
    private static float[] f16Bits;
    private static float[] bf16Bits;
    private static float[] f16ToF32;
    private static float[] bf16ToF32;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        Path golden = Path.of(TorchGoldenTest.class.getResource("torch_golden.safetensors").toURI());
        try (SafetensorsReader reader = SafetensorsReader.open(golden)) {
            assertThat(reader.metadata()).containsKey("torch");
            assertThat(reader.dtype("f16")).isEqualTo(DType.F16);
            assertThat(reader.dtype("bf16")).isEqualTo(DType.BF16);
            input = reader.readFloats("input");
            f16 = reader.readFloats("f16");
            bf16 = reader.readFloats("bf16");
            f16Bits = reader.readFloats("f16_bits");
            bf16Bits = reader.readFloats("bf16_bits");
            f16ToF32 = reader.readFloats("f16_to_f32");
            bf16ToF32 = reader.readFloats("bf16_to_f32");
        }
    }

    @Test
    void goldenCoversTheEdgeCases() {
        assertThat(input).hasSizeGreaterThan(400).contains(0f, 65504f, 65520f, Float.POSITIVE_INFINITY);
        boolean hasNan = false;
        boolean hasHalfSubnormalRange = false;
        for (float value : input) {
            hasNan |= Float.isNaN(value);
            hasHalfSubnormalRange |= value != 0 && Math.abs(value) < 6.1e-5f;
        }
        assertThat(hasNan).isTrue();
        assertThat(hasHalfSubnormalRange).isTrue();
    }

    @Test
    void floatToHalfMatchesTorchBitForBit() {
        for (int i = 0; i < input.length; i++) {
            assertThat(Float16.floatToHalf(input[i]) & 0xffff).as(describe(i)).isEqualTo((int) f16Bits[i]);
        }
    }

    @Test
    void floatToBf16MatchesTorchBitForBit() {
        for (int i = 0; i < input.length; i++) {
            int ours = Float16.floatToBf16(input[i]) & 0xffff;
            if (Float.isNaN(input[i])) {
                // PyTorch versions pick different NaN bits (1.13: 0xffff, 2.x: 0x7fc0); only NaN-ness is portable.
                assertThat(Float16.bf16ToFloat((short) ours)).as(describe(i)).isNaN();
                assertThat(bf16ToF32[i]).isNaN();
            } else {
                assertThat(ours).as(describe(i)).isEqualTo((int) bf16Bits[i]);
            }
        }
    }

    @Test
    void widenedValuesMatchTorchBitForBit() {
        for (int i = 0; i < input.length; i++) {
            assertThat(Float.floatToRawIntBits(Float16.halfToFloat((short) (int) f16Bits[i])))
                    .as(describe(i)).isEqualTo(Float.floatToRawIntBits(f16ToF32[i]));
            assertThat(Float.floatToRawIntBits(Float16.bf16ToFloat((short) (int) bf16Bits[i])))
                    .as(describe(i)).isEqualTo(Float.floatToRawIntBits(bf16ToF32[i]));
            // The reader decoded the F16 and BF16 tensors through the same conversions.
            assertThat(Float.floatToRawIntBits(f16[i])).isEqualTo(Float.floatToRawIntBits(f16ToF32[i]));
            assertThat(Float.floatToRawIntBits(bf16[i])).isEqualTo(Float.floatToRawIntBits(bf16ToF32[i]));
        }
    }

    private static String describe(int i) {
        return "input[" + i + "] = " + input[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(input[i]))
                + ")";
    }
}
