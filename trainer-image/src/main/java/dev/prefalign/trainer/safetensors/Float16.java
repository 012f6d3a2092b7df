package dev.prefalign.trainer.safetensors;

/**
 * Bit-exact conversions between float32 and the two 16-bit float formats found in safetensors files.
 *
 * <p>Java 17 has no {@code Float.floatToFloat16}, and DJL cannot hold BF16 tensors, so the conversions are done here
 * on the raw bits. Narrowing rounds to nearest, ties to even, as PyTorch does, so a weight saved by us matches the
 * same weight saved by {@code tensor.to(torch.float16 / torch.bfloat16)}.
 */
public final class Float16 {

    private static final int FLOAT_SIGN = 0x8000_0000;
    private static final int FLOAT_EXP_MASK = 0x7f80_0000;
    private static final int FLOAT_MANT_MASK = 0x007f_ffff;

    /** |x| at or above this (65520, halfway between 65504 and 2^16) rounds to infinity in binary16. */
    private static final int HALF_OVERFLOW_THRESHOLD = 0x477f_f000;
    /** 2^-14, the smallest normal binary16. */
    private static final int HALF_MIN_NORMAL_AS_FLOAT = 0x3880_0000;
    /** 2^-25, half the smallest binary16 subnormal: it and everything below rounds to zero (ties to even). */
    private static final int HALF_ZERO_THRESHOLD = 0x3300_0000;

    private Float16() {}

    /** IEEE 754 binary16 bits to float32; exact, NaN payloads are kept. */
    public static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24 is exact in float32.
            float magnitude = Math.scalb((float) mant, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | FLOAT_EXP_MASK | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * float32 to IEEE 754 binary16 bits, rounding to nearest even. Values from 65520 up become infinity, values too
     * small for a subnormal become a signed zero, and every NaN becomes the quiet NaN {@code 0x7e00} with its sign
     * (what PyTorch produces).
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & ~FLOAT_SIGN;
        if (abs > FLOAT_EXP_MASK) {
            return (short) (sign | 0x7e00);
        }
        if (abs >= HALF_OVERFLOW_THRESHOLD) {
            return (short) (sign | 0x7c00);
        }
        if (abs >= HALF_MIN_NORMAL_AS_FLOAT) {
            int exp = (abs >>> 23) - 127 + 15;
            int mant = abs & FLOAT_MANT_MASK;
            // A carry out of the mantissa correctly bumps the exponent (up to 0x7c00 only above the threshold).
            return (short) (sign | roundShiftRight((exp << 23) | mant, 13));
        }
        if (abs <= HALF_ZERO_THRESHOLD) {
            return (short) sign;
        }
        // Subnormal result in units of 2^-24: significand (with its hidden bit) * 2^(e+1), e the unbiased exponent.
        int unbiased = (abs >>> 23) - 127;
        int significand = (abs & FLOAT_MANT_MASK) | 0x0080_0000;
        return (short) (sign | roundShiftRight(significand, -(unbiased + 1)));
    }

    /** bfloat16 bits to float32: the upper half of a float32, so exact. */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /**
     * float32 to bfloat16 bits, rounding to nearest even (overflow goes to infinity as in PyTorch). A NaN stays a NaN
     * with its sign, made quiet so that dropping low payload bits cannot turn it into infinity.
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & ~FLOAT_SIGN) > FLOAT_EXP_MASK) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) roundShiftRight(bits, 16);
    }

    /** {@code value >>> shift} (shift 1..30, value read as unsigned) rounded to nearest, ties to even. */
    private static int roundShiftRight(int value, int shift) {
        int kept = value >>> shift;
        int dropped = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (dropped > half || (dropped == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
