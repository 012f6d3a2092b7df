package dev.prefalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a number, safe for autograd. DJL's {@code x.mul(2f)} wraps the number in a tensor over a Java direct
 * buffer and closes that tensor as soon as the op returns, while autograd keeps it for the backward pass (d(x*c)/dx
 * needs c): after the next garbage collection the buffer's memory is freed and reused, and the backward pass reads
 * whatever is there (gradients silently wrong, now and then NaN). A scalar made by the engine ({@code full}) owns its
 * memory, which the graph keeps alive as long as it needs it. Use these, never a Number overload, on any tensor that
 * may carry gradients; in-place updates outside a gradient collector (the optimiser) may use DJL's overloads.
 *
 * <p>The scalar is a float32 0-dim tensor, as DJL's own wrapping of a float: a 0-dim operand never changes the result
 * dtype, so float16 activations stay float16 and the arithmetic is PyTorch's {@code x * c}.
 */
public final class Scalars {
    private Scalars() {
    }

    /** A 0-dim float32 tensor holding {@code value}, on {@code like}'s manager and device. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, DataType.FLOAT32);
    }

    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }

    public static NDArray add(NDArray x, double c) {
        return x.add(of(x, c));
    }

    public static NDArray sub(NDArray x, double c) {
        return x.sub(of(x, c));
    }

    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(of(x, c));
    }

    public static NDArray minimum(NDArray x, double c) {
        return x.minimum(of(x, c));
    }
}
