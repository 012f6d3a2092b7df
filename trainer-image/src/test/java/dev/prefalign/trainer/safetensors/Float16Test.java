package dev.prefalign.trainer.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    private static float bits(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static int half(float value) {
        return Float16.floatToHalf(value) & 0xffff;
    }

    private static int bf16(float value) {
        return Float16.floatToBf16(value) & 0xffff;
    }

    @Test
    void halfToFloatDecodesHandComputedPatterns() {
        assertThat(Float16.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(Float16.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Float16.halfToFloat((short) 0x7bff)).isEqualTo(65504.0f);
        assertThat(Float16.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Float16.halfToFloat((short) 0x0001)).isEqualTo(Math.scalb(1.0f, -24));
        assertThat(Float16.halfToFloat((short) 0x03ff)).isEqualTo(Math.scalb(1023.0f, -24));
        assertThat(Float16.halfToFloat((short) 0x0400)).isEqualTo(Math.scalb(1.0f, -14));
        assertThat(Float.floatToRawIntBits(Float16.halfToFloat((short) 0x8000))).isEqualTo(0x8000_0000);
        assertThat(Float16.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Float16.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(Float16.halfToFloat((short) 0x7e00))).isEqualTo(0x7fc0_0000);
        assertThat(Float16.halfToFloat((short) 0x7c01)).isNaN();
    }

    @Test
    void floatToHalfRoundsToNearestEven() {
        assertThat(half(1.0f)).isEqualTo(0x3c00);
        assertThat(half(-2.0f)).isEqualTo(0xc000);
        assertThat(half(0.1f)).isEqualTo(0x2e66);
        assertThat(half(65504.0f)).isEqualTo(0x7bff);
        assertThat(half(Math.nextDown(65520.0f))).isEqualTo(0x7bff);
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (down); 1 + 3 * 2^-11 goes up.
        assertThat(half(bits(0x3f80_1000))).isEqualTo(0x3c00);
        assertThat(half(bits(0x3f80_3000))).isEqualTo(0x3c02);
        assertThat(half(Math.nextUp(bits(0x3f80_1000)))).isEqualTo(0x3c01);
        assertThat(half(-0.0f)).isEqualTo(0x8000);
    }

    @Test
    void floatToHalfOverflowsToInfinity() {
        // 65520 is halfway between 65504 (odd mantissa 0x3ff) and 2^16, so it rounds to even: infinity.
        assertThat(half(65520.0f)).isEqualTo(0x7c00);
        assertThat(half(-65520.0f)).isEqualTo(0xfc00);
        assertThat(half(1e6f)).isEqualTo(0x7c00);
        assertThat(half(Float.MAX_VALUE)).isEqualTo(0x7c00);
        assertThat(half(Float.POSITIVE_INFINITY)).isEqualTo(0x7c00);
        assertThat(half(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
    }

    @Test
    void floatToHalfHandlesSubnormals() {
        float smallest = Math.scalb(1.0f, -24);
        assertThat(half(smallest)).isEqualTo(0x0001);
        assertThat(half(-smallest)).isEqualTo(0x8001);
        assertThat(half(smallest / 2)).as("2^-25 ties to even zero").isEqualTo(0x0000);
        assertThat(half(Math.nextUp(smallest / 2))).isEqualTo(0x0001);
        assertThat(half(smallest * 1.5f)).as("1.5 ulp ties to 2").isEqualTo(0x0002);
        assertThat(half(smallest * 2.5f)).as("2.5 ulp ties to 2").isEqualTo(0x0002);
        assertThat(half(smallest * 3.5f)).as("3.5 ulp ties to 4").isEqualTo(0x0004);
        assertThat(half(smallest / 4)).isEqualTo(0x0000);
        assertThat(half(Float.MIN_VALUE)).isEqualTo(0x0000);
        assertThat(half(-Float.MIN_VALUE)).isEqualTo(0x8000);
        assertThat(half(Math.scalb(1023.5f, -24))).as("rounds up into the smallest normal").isEqualTo(0x0400);
        assertThat(half(Math.scalb(1.0f, -14))).isEqualTo(0x0400);
    }

    @Test
    void floatToHalfKeepsNanAsQuietNanWithSign() {
        assertThat(half(Float.NaN)).isEqualTo(0x7e00);
        assertThat(half(bits(0xffc0_0000))).isEqualTo(0xfe00);
        // A signalling NaN whose payload lies only in bits a plain shift drops must not turn into infinity.
        assertThat(half(bits(0x7f80_0001))).isEqualTo(0x7e00);
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float value = Float16.halfToFloat((short) h);
            if (Float.isNaN(value)) {
                assertThat(Float16.halfToFloat(Float16.floatToHalf(value))).isNaN();
            } else {
                assertThat(half(value)).as("half 0x%04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void floatToHalfPicksTheNearestHalfForRandomFloats() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float value = Math.scalb((float) random.nextDouble(-2.0, 2.0), random.nextInt(-27, 15));
            int magnitude = half(value) & 0x7fff;
            double target = Math.abs((double) value);
            double chosen = Math.abs(target - Float16.halfToFloat((short) magnitude));
            double below = magnitude == 0 ? Double.POSITIVE_INFINITY
                    : Math.abs(target - Float16.halfToFloat((short) (magnitude - 1)));
            double above = Math.abs(target - Float16.halfToFloat((short) (magnitude + 1)));
            assertThat(chosen).as("%s (bits 0x%08x)", value, Float.floatToRawIntBits(value))
                    .isLessThanOrEqualTo(below).isLessThanOrEqualTo(above);
            if (chosen == below || chosen == above) {
                assertThat(magnitude & 1).as("tie for %s goes to even", value).isZero();
            }
        }
    }

    @Test
    void bf16ConversionsUseTheUpperHalfAndRoundToNearestEven() {
        assertThat(Float16.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(Float16.bf16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Float16.bf16ToFloat((short) 0x4049)).isEqualTo(3.140625f);
        assertThat(Float16.bf16ToFloat((short) 0x0001)).isEqualTo(bits(0x0001_0000));
        assertThat(bf16(1.0f)).isEqualTo(0x3f80);
        assertThat(bf16(-2.0f)).isEqualTo(0xc000);
        assertThat(bf16((float) Math.PI)).isEqualTo(0x4049);
        // Exactly halfway between two bf16 values: 0x3f80 is even so it stays, 0x3f81 is odd so it goes up.
        assertThat(bf16(bits(0x3f80_8000))).isEqualTo(0x3f80);
        assertThat(bf16(bits(0x3f81_8000))).isEqualTo(0x3f82);
        assertThat(bf16(bits(0xbf81_8000))).isEqualTo(0xbf82);
        assertThat(bf16(bits(0x3f80_8001))).isEqualTo(0x3f81);
        assertThat(bf16(Float.MAX_VALUE)).as("overflow").isEqualTo(0x7f80);
        assertThat(bf16(Float.NEGATIVE_INFINITY)).isEqualTo(0xff80);
        assertThat(bf16(Float.MIN_VALUE)).isEqualTo(0x0000);
    }

    @Test
    void bf16KeepsNanANan() {
        assertThat(Float16.bf16ToFloat(Float16.floatToBf16(Float.NaN))).isNaN();
        // Rounding 0x7f800001 like a number would carry into 0x7f80, infinity.
        assertThat(bf16(bits(0x7f80_0001))).isEqualTo(0x7fc0);
        assertThat(bf16(bits(0xff80_0001))).isEqualTo(0xffc0);
        assertThat(bf16(bits(0x7fff_ffff))).isEqualTo(0x7fff);
    }

    @Test
    void everyBf16SurvivesARoundTrip() {
        for (int b = 0; b < 0x10000; b++) {
            float value = Float16.bf16ToFloat((short) b);
            if (Float.isNaN(value)) {
                assertThat(Float16.bf16ToFloat(Float16.floatToBf16(value))).isNaN();
            } else {
                assertThat(bf16(value)).as("bf16 0x%04x", b).isEqualTo(b);
            }
        }
    }
}
