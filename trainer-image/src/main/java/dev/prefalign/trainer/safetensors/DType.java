package dev.prefalign.trainer.safetensors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The floating-point element types this package reads and writes; the constant names are the safetensors header
 * strings. Each constant converts between its little-endian on-disk form and float32 in bulk, so that the per-element
 * loop stays inside one monomorphic method.
 */
public enum DType {
    F32(4) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            src.asFloatBuffer().get(dst, offset, count);
            src.position(src.position() + count * 4);
        }

        @Override
        void encode(float[] src, int offset, int count, ByteBuffer dst) {
            dst.asFloatBuffer().put(src, offset, count);
            dst.position(dst.position() + count * 4);
        }
    },
    F16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Float16.halfToFloat(src.getShort());
            }
        }

        @Override
        void encode(float[] src, int offset, int count, ByteBuffer dst) {
            for (int i = 0; i < count; i++) {
                dst.putShort(Float16.floatToHalf(src[offset + i]));
            }
        }
    },
    BF16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Float16.bf16ToFloat(src.getShort());
            }
        }

        @Override
        void encode(float[] src, int offset, int count, ByteBuffer dst) {
            for (int i = 0; i < count; i++) {
                dst.putShort(Float16.floatToBf16(src[offset + i]));
            }
        }
    };

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element on disk. */
    public int byteSize() {
        return byteSize;
    }

    /** The string used for this type in a safetensors header. */
    public String headerName() {
        return name();
    }

    /** The type named by a safetensors header string, or empty for a type this package cannot convert to float32. */
    public static Optional<DType> fromHeader(String headerName) {
        for (DType type : values()) {
            if (type.headerName().equals(headerName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** "F32, F16, BF16", for error messages. */
    public static String supportedList() {
        return Arrays.stream(values()).map(DType::headerName).collect(Collectors.joining(", "));
    }

    /** Reads {@code count} little-endian elements from {@code src} (advancing it) into {@code dst[offset..]}. */
    abstract void decode(ByteBuffer src, float[] dst, int offset, int count);

    /** Writes {@code count} values from {@code src[offset..]} as little-endian elements into {@code dst}, advancing it. */
    abstract void encode(float[] src, int offset, int count, ByteBuffer dst);
}
