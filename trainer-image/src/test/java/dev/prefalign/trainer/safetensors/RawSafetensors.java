package dev.prefalign.trainer.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, so reader tests do not depend on our writer. */
final class RawSafetensors {

    private RawSafetensors() {}

    /** Writes the u64 little-endian header length, the header exactly as given, then the data. */
    static Path write(Path file, String headerJson, byte[] data) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).put(data);
        Files.write(file, bytes.array());
        return file;
    }

    static byte[] f32(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putInt(Float.floatToRawIntBits(value));
        }
        return bytes.array();
    }

    static byte[] u16(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            bytes.putShort((short) value);
        }
        return bytes.array();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            bytes.put(part);
        }
        return bytes.array();
    }
}
