package dev.prefalign.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.prefalign.trainer.model.Scalars;

/**
 * Element-wise helpers for per-pair loss terms, in float32: DJL's dtype casts cut the autograd graph, so the maths
 * stays in the model's dtype and is made stable instead.
 */
final class PairMath {
    private static final float LN2 = (float) Math.log(2);

    private PairMath() {
    }

    /** log(sigmoid(x)) = -softplus(-x), stable for large |x|. */
    static NDArray logSigmoid(NDArray x) {
        return Activation.softPlus(x.neg()).neg();
    }

    /**
     * log(1 - exp(x)) for x < 0, stable everywhere (Maechler 2012): near 0, where 1 - exp(x) cancels, it uses
     * -expm1(x) = -2 tanh(x/2) / (1 - tanh(x/2)); below -ln 2 the plain form is exact to float32 rounding. Each branch
     * gets an input clamped into its own range so that the branch not taken has a finite gradient.
     */
    static NDArray log1mexp(NDArray x) {
        NDArray xc = Scalars.minimum(x, -1e-30f);
        NDArray low = Scalars.add(Scalars.minimum(xc, -LN2).exp().neg(), 1).log();
        NDArray t = Scalars.mul(Scalars.maximum(xc, -LN2), 0.5).tanh();
        NDArray high = Scalars.mul(t, -2).div(Scalars.add(t.neg(), 1)).log();
        return NDArrays.where(xc.gt(-LN2), high, low);
    }

    /** Per-example Java values as a float32 array beside {@code like}. */
    static NDArray array(double[] values, NDArray like) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        NDManager m = like.getManager();
        return m.create(f).toDevice(like.getDevice(), false);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double[] doubles(NDArray a) {
        float[] f = (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
