package dev.prefalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A dtype cast that keeps the autograd graph. DJL's {@code toType} detaches its result, which would cut mixed-precision
 * training off from the float32 master weights; a cumulative product over a singleton axis with an output dtype is an
 * identity that converts, and PyTorch differentiates it like any other op.
 */
public final class Casts {
    private Casts() {
    }

    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        int last = x.getShape().dimension();
        return JniUtils.cumProd((PtNDArray) x.expandDims(last), last, type).squeeze(last);
    }
}
