package dev.prefalign.trainer.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Gradient buffers of parameters. PyTorch accumulates into them across backward calls until they are zeroed. */
public final class Gradients {
    private Gradients() {
    }

    /** Fresh handles on each parameter's gradient; call inside an NDScope so the handles are released. */
    public static Map<String, NDArray> of(Map<String, NDArray> parameters) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        parameters.forEach((name, p) -> grads.put(name, p.getGradient()));
        return grads;
    }

    /** Zeroes the buffers in place (NaN-safe, unlike multiplying by zero). */
    public static void zero(Collection<NDArray> parameters) {
        for (NDArray p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
