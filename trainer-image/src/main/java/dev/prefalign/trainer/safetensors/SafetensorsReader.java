package dev.prefalign.trainer.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * Reads tensors from one safetensors file as float32, converting F16 and BF16 exactly.
 *
 * <p>The header is parsed and validated by {@link #open}; tensor data is read on demand with positional
 * {@link FileChannel} reads, which take {@code long} offsets (files may exceed 2 GiB) and are safe from several threads.
 */
public final class SafetensorsReader implements Closeable {

    /** Tensors are read in pieces of this size so that converting a large weight needs no second full-size buffer. */
    private static final int CHUNK_BYTES = 8 * 1024 * 1024;

    /** The largest array length every JVM can allocate. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsReader(file, channel, SafetensorsHeader.read(file, channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** Tensor names in header order (metadata excluded). */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    /**
     * The tensor's element type.
     *
     * @throws UncheckedIOException wrapping an {@link UnsupportedDtypeException} for a type other than F32/F16/BF16;
     *     {@link #dtypeName} gives the raw header string without throwing
     */
    public DType dtype(String name) {
        TensorEntry entry = entry(name);
        return entry.dtype().orElseThrow(
                () -> new UncheckedIOException(new UnsupportedDtypeException(file, name, entry.dtypeName())));
    }

    /** The dtype string exactly as the header has it, e.g. {@code "BF16"} or {@code "I64"}. */
    public String dtypeName(String name) {
        return entry(name).dtypeName();
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensor's elements converted to float32, row-major. */
    public float[] readFloats(String name) throws IOException {
        TensorEntry entry = header.tensors().get(name);
        if (entry == null) {
            throw new SafetensorsException(file, name, "no such tensor in this file (it has " + names().size()
                    + " tensors)");
        }
        DType dtype = entry.dtype()
                .orElseThrow(() -> new UnsupportedDtypeException(file, name, entry.dtypeName()));
        if (entry.elementCount() > MAX_ARRAY_LENGTH) {
            throw new SafetensorsException(file, name, entry.elementCount()
                    + " elements do not fit in one Java array; split the tensor before loading it");
        }
        if (!channel.isOpen()) {
            throw new SafetensorsException(file, name, "the reader is closed");
        }
        float[] values = new float[(int) entry.elementCount()];
        int elementsPerChunk = CHUNK_BYTES / dtype.byteSize();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, entry.byteLength()))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = header.dataStart() + entry.begin();
        for (int done = 0; done < values.length; ) {
            int count = Math.min(elementsPerChunk, values.length - done);
            chunk.clear().limit(count * dtype.byteSize());
            SafetensorsHeader.readFully(file, channel, chunk, position);
            chunk.flip();
            dtype.decode(chunk, values, done, count);
            position += (long) count * dtype.byteSize();
            done += count;
        }
        return values;
    }

    public TensorData read(String name) throws IOException {
        float[] values = readFloats(name);
        return new TensorData(name, entry(name).shape(), values);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private TensorEntry entry(String name) {
        TensorEntry entry = header.tensors().get(name);
        if (entry == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "' in this file; names() lists the "
                    + names().size() + " it has");
        }
        return entry;
    }
}
