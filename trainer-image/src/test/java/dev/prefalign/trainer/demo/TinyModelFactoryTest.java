package dev.prefalign.trainer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.model.Architecture;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelConfig;
import dev.prefalign.trainer.model.ModelStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in models load as the family they claim to be, with that family's tensors. */
class TinyModelFactoryTest {
    private static final TinyModelFactory.Shape TINY = new TinyModelFactory.Shape(32, 64, 2, 4, 2, true);
    private static final String Q_BIAS = "model.layers.0.self_attn.q_proj.bias";

    @Test
    void qwen2StandInHasQkvBiasesAndLoads(@TempDir Path dir) throws Exception {
        Path model = TinyModelFactory.write(dir.resolve("qwen"), List.of("hello", "world"), TINY, 7,
                Architecture.QWEN2);

        ModelConfig config = ModelConfig.read(model);
        assertThat(config.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(config.qkvBias()).isTrue();
        assertThat(config.json().path("architectures").get(0).asText()).isEqualTo("Qwen2ForCausalLM");
        assertThat(config.json().path("use_sliding_window").asBoolean(true)).isFalse();
        assertThat(config.json().has("attention_bias")).isFalse();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                CausalLm lm = ModelStore.load(model, manager)) {
            assertThat(lm.parameters()).containsKey(Q_BIAS);
            assertThat(lm.parameters().get(Q_BIAS).getShape().getShape()).containsExactly(4L * 8);
            assertThat(lm.config()).isEqualTo(config);
        }
    }

    @Test
    void llamaStaysTheDefaultWithoutBiases(@TempDir Path dir) throws Exception {
        Path model = TinyModelFactory.write(dir.resolve("llama"), List.of("hello"), TINY, 7);

        ModelConfig config = ModelConfig.read(model);
        assertThat(config.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(config.qkvBias()).isFalse();
        assertThat(config.json().path("model_type").asText()).isEqualTo("llama");
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                CausalLm lm = ModelStore.load(model, manager)) {
            assertThat(lm.parameters()).doesNotContainKey(Q_BIAS);
        }
    }
}
