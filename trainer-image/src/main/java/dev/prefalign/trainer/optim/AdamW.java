package dev.prefalign.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW with PyTorch's semantics (Loshchilov and Hutter 2019, arXiv:1711.05101): decoupled weight decay applied as
 * {@code p *= 1 - lr*wd} before the Adam update, bias-corrected moments, eps added to sqrt(v_hat). Moments are float32
 * and live on their own manager, created lazily so that a resumed optimiser can restore them instead.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Predicate<String> decays;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public AdamW(NDManager parent, double weightDecay, Predicate<String> decays) {
        this(parent, 0.9, 0.999, 1e-8, weightDecay, decays);
    }

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decays = decays;
        this.manager = parent.newSubManager();
    }

    /** Steps taken so far (PyTorch's per-parameter {@code step}, equal for all parameters here). */
    public long stepCount() {
        return step;
    }

    /**
     * Updates every parameter in place from its gradient. Call with grad mode off (outside a GradientCollector):
     * in-place updates of leaves that require gradients are only legal there.
     */
    public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            NDArray g = gradients.get(name);
            NDArray m = firstMoments.computeIfAbsent(name, n -> zerosLike(p));
            NDArray v = secondMoments.computeIfAbsent(name, n -> zerosLike(p));
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            if (weightDecay != 0 && decays.test(name)) {
                p.muli((float) (1 - lr * weightDecay));
            }
            // p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), PyTorch's arrangement of the bias corrections
            NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
            p.subi(m.div(denom).muli((float) (lr / bc1)));
        }
    }

    private NDArray zerosLike(NDArray p) {
        NDArray z = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
        // Created lazily inside a step's NDScope; the moments live as long as the optimiser.
        NDScope.unregister(z);
        return z;
    }

    public Map<String, NDArray> firstMoments() {
        return firstMoments;
    }

    public Map<String, NDArray> secondMoments() {
        return secondMoments;
    }

    /** Restores state saved from {@link #firstMoments()}, {@link #secondMoments()} and {@link #stepCount()}. */
    public void restore(long stepCount, Map<String, float[]> first, Map<String, float[]> second,
            Map<String, NDArray> parameters) {
        this.step = stepCount;
        parameters.forEach((name, p) -> {
            NDArray m = manager.create(first.get(name), p.getShape());
            NDArray v = manager.create(second.get(name), p.getShape());
            NDScope.unregister(m, v);
            firstMoments.put(name, m);
            secondMoments.put(name, v);
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
