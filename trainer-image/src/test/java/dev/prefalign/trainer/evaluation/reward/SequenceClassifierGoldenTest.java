package dev.prefalign.trainer.evaluation.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.evaluation.RewardModelFolders;
import dev.prefalign.trainer.golden.GoldenCase;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rewards against the independent PyTorch reference of {@code src/test/python/make_golden.py}: its golden files hold
 * the logits of the tiny Llama and Qwen2 models at every position of a right-padded batch. A sequence classifier whose
 * {@code score.weight} is row k of the LM head (the embedding, when tied) scores a sequence with exactly the reference
 * logit of token k at the sequence's last non-pad position, so the golden logits are the expected rewards, computed
 * by PyTorch from the final hidden state after the final norm, as transformers' sequence classifiers do.
 */
class SequenceClassifierGoldenTest {
    private static final int TOKEN = 7;

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void rewardsAreTheReferenceHiddenStateAtTheLastRealTokenThroughTheScoreHead(String name, @TempDir Path tmp)
            throws IOException {
        GoldenCase c = GoldenCase.load(name);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(c.dir().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(c.dir().resolve(ModelWeights.SINGLE_FILE), dir.resolve(ModelWeights.SINGLE_FILE));
        float[] head;
        int hidden;
        try (ModelWeights weights = ModelWeights.open(dir)) {
            String headName = weights.names().contains(TensorNames.LM_HEAD) ? TensorNames.LM_HEAD : TensorNames.EMBED;
            TensorData matrix = weights.read(headName);
            hidden = (int) matrix.shape()[1];
            head = Arrays.copyOfRange(matrix.values(), TOKEN * hidden, (TOKEN + 1) * hidden);
        }
        RewardModelFolders.convert(dir, head, json -> json.put("pad_token_id", c.batch().padId()));

        int[][] padded = c.batch().ids();
        int[] lengths = c.batch().lengths();
        int width = c.batch().width();
        float[] logits = c.tensor("logits");
        int vocab = logits.length / (padded.length * width);
        List<int[]> unpadded = new ArrayList<>();
        float[] expected = new float[padded.length];
        for (int r = 0; r < padded.length; r++) {
            unpadded.add(Arrays.copyOf(padded[r], lengths[r]));
            expected[r] = logits[(r * width + lengths[r] - 1) * vocab + TOKEN];
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                SequenceClassifier classifier = SequenceClassifier.load(dir, manager)) {
            assertThat(classifier.config().padTokenId()).hasValue(c.batch().padId());
            float[] batched = classifier.scores(unpadded);
            float[] asPadded = classifier.scores(Arrays.asList(padded));
            for (int r = 0; r < padded.length; r++) {
                assertThat(batched[r]).as("row %d in one batch", r).isCloseTo(expected[r], within(1e-4f));
                assertThat(asPadded[r]).as("row %d given with its padding", r).isCloseTo(expected[r], within(1e-4f));
                float alone = classifier.scores(List.of(unpadded.get(r)))[0];
                assertThat(alone).as("row %d alone", r).isCloseTo(expected[r], within(1e-4f));
            }
        }
    }

    @Test
    void thePooledPositionIsTheRightmostNonPadTokenAsInTransformers() {
        OptionalInt pad = OptionalInt.of(0);
        assertThat(SequenceClassifier.pooledIndex(new int[] {5, 6, 7}, pad)).isEqualTo(2);
        assertThat(SequenceClassifier.pooledIndex(new int[] {5, 6, 0, 0}, pad)).isEqualTo(1);
        assertThat(SequenceClassifier.pooledIndex(new int[] {0, 0, 5, 6}, pad)).as("left padding").isEqualTo(3);
        assertThat(SequenceClassifier.pooledIndex(new int[] {0, 0}, pad)).as("argmax of an all-zero mask").isZero();
        assertThat(SequenceClassifier.pooledIndex(new int[] {5, 0, 6}, OptionalInt.empty()))
                .as("no pad token: the last position").isEqualTo(2);
    }
}
