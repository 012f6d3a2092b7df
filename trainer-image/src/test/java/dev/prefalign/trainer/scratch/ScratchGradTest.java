package dev.prefalign.trainer.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.runtime.Gradients;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchGradTest {
    private static float grad(NDManager m, NDArray p, boolean zero) {
        p.setRequiresGradient(true);
        float g;
        try (NDScope s = new NDScope()) {
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(p.mul(3f).sum());
            }
            g = p.getGradient().toFloatArray()[0];
            if (zero) Gradients.zero(java.util.List.of(p));
            System.out.println("after zero: " + p.getGradient().toFloatArray()[0]);
        }
        p.setRequiresGradient(false);
        return g;
    }

    @Test
    void probe() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDManager sub = m.newSubManager();
            NDArray p = sub.create(new float[] {1, 2, 3});
            System.out.println("A " + grad(m, p, true));
            System.out.println("B " + grad(m, p, true));
            p.set(new float[] {4, 5, 6});
            System.out.println("C " + grad(m, p, true));
            System.out.println("D " + grad(m, p, false));
            System.out.println("E " + grad(m, p, true));
        }
    }
}
