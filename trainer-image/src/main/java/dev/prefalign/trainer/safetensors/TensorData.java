package dev.prefalign.trainer.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor held as float32 in row-major order, whatever its type on disk.
 *
 * <p>{@code values} is not copied: weights can be hundreds of megabytes, so the record shares the caller's array.
 * The small {@code shape} array is copied both ways so that the checked invariant cannot be broken afterwards.
 *
 * @param name  the tensor's name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param shape the dimensions; an empty shape is a scalar with one value
 * @param values the elements; {@code values.length} equals the product of {@code shape}
 */
public record TensorData(String name, long[] shape, float[] values) {

    public TensorData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        shape = shape.clone();
        long count = elementCount(name, shape);
        if (count != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + count + " values but " + values.length + " were given");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements a shape holds; throws if a dimension is negative or the product overflows a long. */
    static long elementCount(String name, long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': shape " + Arrays.toString(shape) + " has too many elements", e);
            }
        }
        return count;
    }

    /** Equal when name, shape and every value's bits are equal (records would otherwise compare arrays by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorData that
                && name.equals(that.name)
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    /** Name and shape only: printing millions of weights into a log helps nobody. */
    @Override
    public String toString() {
        return "TensorData[" + name + " " + Arrays.toString(shape) + "]";
    }
}
