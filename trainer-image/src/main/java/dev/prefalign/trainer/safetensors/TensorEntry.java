package dev.prefalign.trainer.safetensors;

import java.util.Optional;

/**
 * One tensor's line in a safetensors header.
 *
 * @param dtypeName the header's dtype string, kept even when {@link DType} cannot convert it
 * @param begin     first byte, relative to the start of the data section
 * @param end       one past the last byte, relative to the start of the data section
 */
record TensorEntry(String name, String dtypeName, long[] shape, long elementCount, long begin, long end) {

    Optional<DType> dtype() {
        return DType.fromHeader(dtypeName);
    }

    long byteLength() {
        return end - begin;
    }
}
