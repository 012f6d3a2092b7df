package dev.prefalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.golden.GoldenCase;
import dev.prefalign.trainer.loss.AlignmentLoss;
import dev.prefalign.trainer.loss.HingeDpoLoss;
import dev.prefalign.trainer.loss.IpoLoss;
import dev.prefalign.trainer.loss.LossResult;
import dev.prefalign.trainer.loss.OrpoLoss;
import dev.prefalign.trainer.loss.PairScores;
import dev.prefalign.trainer.loss.ReferenceLogps;
import dev.prefalign.trainer.loss.RobustDpoLoss;
import dev.prefalign.trainer.loss.SequenceScores;
import dev.prefalign.trainer.loss.SftLoss;
import dev.prefalign.trainer.loss.SigmoidDpoLoss;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.optim.GradientClipping;
import dev.prefalign.trainer.runtime.Gradients;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model, log-probabilities, every loss, gradients and AdamW against an independent PyTorch implementation. */
class GoldenModelTest {
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private CausalLm load(GoldenCase c, boolean reference) throws IOException {
        return ModelStore.load(reference ? c.dir().resolve("reference") : c.dir(), manager);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void logitsMatchAtEveryRealPosition(String name) throws IOException {
        GoldenCase c = GoldenCase.load(name);
        try (CausalLm model = load(c, false); NDScope scope = new NDScope()) {
            SequenceBatch b = c.batch();
            float[] logits = model.forward(b.inputIds(manager)).toFloatArray();
            float[] expected = c.tensor("logits");
            int t = b.width();
            int v = model.config().vocabSize();
            for (int row = 0; row < b.rows(); row++) {
                for (int pos = 0; pos < b.lengths()[row]; pos++) {
                    for (int k = 0; k < v; k++) {
                        int i = (row * t + pos) * v + k;
                        assertThat(logits[i]).as("logit row %d pos %d token %d", row, pos, k)
                                .isCloseTo(expected[i], within(1e-5f));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void sequenceLogProbsMatch(String name) throws IOException {
        GoldenCase c = GoldenCase.load(name);
        try (CausalLm policy = load(c, false); CausalLm ref = load(c, true); NDScope scope = new NDScope()) {
            SequenceScores p = SequenceScores.of(policy, c.batch());
            SequenceScores r = SequenceScores.of(ref, c.batch());
            assertClose(p.sum().toFloatArray(), c.tensor("policy_logps"), 1e-4);
            assertClose(p.average().toFloatArray(), c.tensor("policy_avg_logps"), 1e-5);
            assertClose(r.sum().toFloatArray(), c.tensor("reference_logps"), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void everyLossAndMetricMatches(String name) throws IOException {
        GoldenCase c = GoldenCase.load(name);
        try (CausalLm policy = load(c, false); CausalLm ref = load(c, true); NDScope scope = new NDScope()) {
            PairScores p = PairScores.split(SequenceScores.of(policy, c.batch()));
            ReferenceLogps r = reference(ref, c.batch());
            LossResult sigmoid = new SigmoidDpoLoss(0.1, 0).compute(p, r);
            assertScalar(sigmoid.lossValue(), c.scalar("dpo_sigmoid"));
            for (String key : List.of("rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen",
                    "logps/rejected")) {
                assertScalar(sigmoid.metrics().get(key), c.scalar(key));
            }
            assertThat(sigmoid.metrics().get("rewards/accuracies")).isEqualTo(c.scalar("rewards/accuracies"));
            assertScalar(new SigmoidDpoLoss(0.1, 0.1).compute(p, r).lossValue(), c.scalar("dpo_sigmoid_ls"));
            assertScalar(new RobustDpoLoss(0.1, 0.1).compute(p, r).lossValue(), c.scalar("dpo_robust"));
            assertScalar(new HingeDpoLoss(0.1).compute(p, r).lossValue(), c.scalar("dpo_hinge"));
            assertScalar(new IpoLoss(0.1).compute(p, r).lossValue(), c.scalar("dpo_ipo"));

            LossResult orpo = new OrpoLoss(0.1).compute(p, null);
            assertScalar(orpo.lossValue(), c.scalar("orpo_loss"));
            for (String key : List.of("nll_loss", "log_odds_ratio", "log_odds_chosen")) {
                assertScalar(orpo.metrics().get(key), c.scalar(key));
            }
            for (String key : List.of("rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen",
                    "logps/rejected", "rewards/accuracies")) {
                assertScalar(orpo.metrics().get(key), c.scalar("orpo/" + key));
            }
            assertScalar(new SftLoss().compute(p.chosen()).lossValue(), c.scalar("sft_loss"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void gradientsMatchForDpoAndOrpo(String name) throws IOException {
        GoldenCase c = GoldenCase.load(name);
        try (CausalLm policy = load(c, false); CausalLm ref = load(c, true)) {
            ReferenceLogps r;
            try (NDScope scope = new NDScope()) {
                r = reference(ref, c.batch());
            }
            policy.setTrainable(true);
            checkGradients(policy, c, "dpo_sigmoid", p -> new SigmoidDpoLoss(0.1, 0).compute(p, r));
            checkGradients(policy, c, "orpo", p -> new OrpoLoss(0.1).compute(p, null));
        }
    }

    private void checkGradients(CausalLm policy, GoldenCase c, String loss, Function<PairScores, LossResult> f) {
        try (NDScope scope = new NDScope()) {
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                gc.backward(f.apply(PairScores.split(SequenceScores.of(policy, c.batch()))).loss());
            }
            for (Map.Entry<String, NDArray> e : policy.parameters().entrySet()) {
                float[] g = e.getValue().getGradient().toFloatArray();
                float[] expected = c.tensor("grad/" + loss + "/" + e.getKey());
                for (int i = 0; i < g.length; i++) {
                    assertThat((double) g[i]).as("%s grad of %s[%d]", loss, e.getKey(), i)
                            .isCloseTo(expected[i], within(1e-5 + 1e-4 * Math.abs(expected[i])));
                }
            }
            Gradients.zero(policy.parameters().values());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void twoClippedAdamWStepsMatchTorch(String name) throws IOException {
        GoldenCase c = GoldenCase.load(name);
        try (CausalLm policy = load(c, false); CausalLm ref = load(c, true);
                AdamW adam = new AdamW(manager, 0.01, n -> true)) {
            ReferenceLogps r;
            try (NDScope scope = new NDScope()) {
                r = reference(ref, c.batch());
            }
            policy.setTrainable(true);
            for (int step = 1; step <= 2; step++) {
                try (NDScope scope = new NDScope()) {
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        PairScores p = PairScores.split(SequenceScores.of(policy, c.batch()));
                        gc.backward(new SigmoidDpoLoss(0.1, 0).compute(p, r).loss());
                    }
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    policy.parameters().forEach((n, p) -> grads.put(n, p.getGradient()));
                    double norm = GradientClipping.clip(grads.values(), 1.0);
                    assertThat(norm).isCloseTo(c.scalar("adamw/grad_norm_step" + step),
                            within(1e-5 * c.scalar("adamw/grad_norm_step" + step)));
                    adam.step(policy.parameters(), grads, 1e-2);
                    Gradients.zero(policy.parameters().values());
                }
            }
            for (Map.Entry<String, NDArray> e : policy.parameters().entrySet()) {
                assertClose(e.getValue().toFloatArray(), c.tensor("adamw/" + e.getKey()), 2e-4);
            }
        }
    }

    private static ReferenceLogps reference(CausalLm ref, SequenceBatch batch) {
        PairScores s = PairScores.split(SequenceScores.of(ref, batch));
        return new ReferenceLogps(s.chosenLogps(), s.rejectedLogps());
    }

    private static void assertScalar(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-5 + 1e-5 * Math.abs(expected)));
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }
}
