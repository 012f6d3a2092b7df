package dev.prefalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.loss.AlignmentLoss;
import dev.prefalign.trainer.loss.OrpoLoss;
import dev.prefalign.trainer.loss.PairScores;
import dev.prefalign.trainer.loss.ReferenceLogps;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.runtime.Gradients;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.tokens.TokenizedPair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autograd gradients of the DPO and ORPO losses through the whole model against central finite differences, an
 * oracle that shares no code with the backward pass.
 *
 * <p>Float32 limits the check: the loss carries a relative rounding error around 1e-7..1e-6, which a difference
 * quotient divides by 2*eps, while the truncation error grows like eps^2 times the third derivative. eps = 1e-2 balances
 * the two (roughly 1e-4 absolute each); so the gradients checked must be well above that (at least 1e-2, the largest
 * entries of each tensor), and the weights are scaled up from the 0.02 initialisation so that the loss is not flat.
 * A relative tolerance of 2e-2 then passes correct gradients and still catches a wrong sign, a missing term or a
 * factor as small as 1.05.
 */
class FiniteDifferenceTest {
    private static final double EPS = 1e-2;
    private static final double RELATIVE_TOLERANCE = 2e-2;
    private static final List<String> CHECKED = List.of("model.embed_tokens.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.self_attn.q_proj.weight",
            "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
            "model.layers.1.self_attn.o_proj.weight", "model.layers.1.mlp.gate_proj.weight",
            "model.layers.1.mlp.down_proj.weight", "model.norm.weight");

    @TempDir
    static Path root;
    private static NDManager manager;
    private static CausalLm policy;
    private static SequenceBatch batch;
    private static ReferenceLogps reference;

    @BeforeAll
    static void setUp() throws IOException {
        manager = NDManager.newBaseManager("PyTorch");
        Path dir = TinyJob.model(root.resolve("model"), 21);
        try (CausalLm ref = ModelStore.load(dir, manager)) {
            policy = ModelStore.load(dir, manager);
            // Weights of std ~0.3 instead of 0.02 and uneven norms: attention and SwiGLU leave their linear regime.
            Random random = new Random(5);
            for (Map.Entry<String, NDArray> e : policy.parameters().entrySet()) {
                NDArray p = e.getValue();
                float[] values = p.toFloatArray();
                boolean norm = e.getKey().endsWith("norm.weight");
                for (int i = 0; i < values.length; i++) {
                    values[i] = norm ? values[i] + (random.nextFloat() - 0.5f) : values[i] * 15f;
                }
                p.set(values);
            }
            // Prompts and completions of different lengths, so padding and masks are part of what is checked.
            List<TokenizedPair> pairs = List.of(
                    new TokenizedPair("a", new int[] {4, 5, 6}, new int[] {7, 8, 3}, new int[] {9, 3}),
                    new TokenizedPair("b", new int[] {10, 11}, new int[] {12, 13, 14, 3},
                            new int[] {15, 16, 17, 18, 3}),
                    new TokenizedPair("c", new int[] {19, 20, 21, 22}, new int[] {23, 3}, new int[] {24, 25, 3}));
            batch = SequenceBatch.ofPairs(pairs, 0);
            try (NDScope scope = new NDScope()) {
                PairScores r = PairScores.split(SequenceScores.of(ref, batch));
                reference = new ReferenceLogps(r.chosenLogps(), r.rejectedLogps());
            }
        }
    }

    @AfterAll
    static void tearDown() {
        policy.close();
        manager.close();
    }

    @Test
    void dpoSigmoidGradientsMatchFiniteDifferences() {
        check("dpo", new SigmoidDpoLoss(0.1, 0.0));
    }

    @Test
    void orpoGradientsMatchFiniteDifferences() {
        check("orpo", new OrpoLoss(0.5));
    }

    private static double loss(AlignmentLoss f) {
        try (NDScope scope = new NDScope()) {
            PairScores p = PairScores.split(SequenceScores.of(policy, batch));
            return f.compute(p, f.needsReference() ? reference : null).lossValue();
        }
    }

    private static void check(String label, AlignmentLoss f) {
        Map<String, float[]> grads = new LinkedHashMap<>();
        policy.setTrainable(true);
        try (NDScope scope = new NDScope()) {
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                PairScores p = PairScores.split(SequenceScores.of(policy, batch));
                gc.backward(f.compute(p, f.needsReference() ? reference : null).loss());
            }
            for (String name : CHECKED) {
                grads.put(name, policy.parameters().get(name).getGradient().toFloatArray());
            }
            // PyTorch accumulates into .grad across backward calls; the next check must start from zero.
            Gradients.zero(policy.parameters().values());
        } finally {
            policy.setTrainable(false);
        }
        int checked = 0;
        for (String name : CHECKED) {
            NDArray p = policy.parameters().get(name);
            float[] g = grads.get(name);
            for (int i : largestTwo(g)) {
                float[] values = p.toFloatArray();
                float original = values[i];
                float up = (float) (original + EPS);
                float down = (float) (original - EPS);
                values[i] = up;
                p.set(values);
                double plus = loss(f);
                values[i] = down;
                p.set(values);
                double minus = loss(f);
                values[i] = original;
                p.set(values);
                // divide by the step float32 actually took, not the nominal 2*eps
                double numeric = (plus - minus) / ((double) up - down);
                assertThat((double) Math.abs(g[i])).as("%s %s[%d] is large enough to check", label, name, i)
                        .isGreaterThan(1e-2);
                assertThat(Math.abs(g[i] - numeric)).as("%s d loss / d %s[%d]: autograd %s, finite difference %s",
                        label, name, i, g[i], numeric).isLessThanOrEqualTo(RELATIVE_TOLERANCE * Math.abs(numeric));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2 * CHECKED.size());
    }

    /** Indices of the two entries with the largest magnitude. */
    private static int[] largestTwo(float[] g) {
        int first = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[first])) {
                first = i;
            }
        }
        int second = first == 0 ? 1 : 0;
        for (int i = 0; i < g.length; i++) {
            if (i != first && Math.abs(g[i]) > Math.abs(g[second])) {
                second = i;
            }
        }
        return new int[] {first, second};
    }
}
