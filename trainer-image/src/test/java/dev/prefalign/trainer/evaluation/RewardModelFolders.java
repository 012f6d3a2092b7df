package dev.prefalign.trainer.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.testkit.TinyJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Writes reward-model folders for tests: a causal-LM folder turned into the layout transformers saves for
 * {@code LlamaForSequenceClassification} (architectures, {@code id2label} with one entry, {@code pad_token_id};
 * the {@code model.*} tensors, {@code score.weight} [1, hidden] and no {@code lm_head.weight}).
 */
public final class RewardModelFolders {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RewardModelFolders() {
    }

    /** The tiny test model (TinyJob's vocabulary, ChatML template) as a reward model with a random score head. */
    public static Path tiny(Path dir, long seed) {
        TinyJob.model(dir, seed);
        float[] score = new float[TinyJob.SHAPE.hidden()];
        Random random = new Random(seed + 1);
        for (int i = 0; i < score.length; i++) {
            score[i] = (float) random.nextGaussian();
        }
        return convert(dir, score, config -> { });
    }

    /**
     * Turns the causal-LM folder {@code dir} into a sequence classifier in place.
     *
     * @param score  the head's one row; null leaves score.weight out (for the error test)
     * @param config a last change to config.json
     */
    public static Path convert(Path dir, float[] score, Consumer<ObjectNode> config) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            String causal = json.get("architectures").get(0).asText();
            json.putArray("architectures").add(causal.replace("ForCausalLM", "ForSequenceClassification"));
            json.putObject("id2label").put("0", "LABEL_0");
            json.putObject("label2id").put("LABEL_0", 0);
            config.accept(json);
            List<TensorData> tensors = new ArrayList<>();
            try (ModelWeights weights = ModelWeights.open(dir)) {
                for (String name : weights.names()) {
                    if (!name.equals(TensorNames.LM_HEAD)) {
                        tensors.add(weights.read(name));
                    }
                }
            }
            if (score != null) {
                tensors.add(new TensorData("score.weight", new long[] {1, score.length}, score));
            }
            Files.delete(dir.resolve(ModelWeights.SINGLE_FILE));
            ModelWeights.save(dir, tensors, DType.F32, Long.MAX_VALUE);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), json);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
