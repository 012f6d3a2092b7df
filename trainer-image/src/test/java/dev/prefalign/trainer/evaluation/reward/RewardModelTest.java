package dev.prefalign.trainer.evaluation.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.demo.TinyModelFactory;
import dev.prefalign.trainer.evaluation.EvalPrompt;
import dev.prefalign.trainer.evaluation.RewardModelFolders;
import dev.prefalign.trainer.evaluation.RewardModelJudge;
import dev.prefalign.trainer.evaluation.RewardModelSettings;
import dev.prefalign.trainer.evaluation.Verdict;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.ModelWeights;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring text with a tiny reward-model folder: what is scored, batching, caching, the judge's verdicts, errors. */
class RewardModelTest {
    private static final String PROMPT = "is the cat on the mat ?";
    private static final List<String> REPLIES = List.of("the cat sat on the mat", "no", "a big dog runs fast",
            "the sun is red", "yes please", "thanks ! the tree is big . the dog is small", "blue", "good cat");

    @TempDir
    static Path root;
    static Path rm;

    @BeforeAll
    static void writeTheRewardModel() {
        rm = RewardModelFolders.tiny(root.resolve("rm"), 11);
    }

    private static List<RewardModel.Exchange> exchanges(List<String> replies) {
        return replies.stream().map(r -> new RewardModel.Exchange(PROMPT, r)).toList();
    }

    @Test
    void theConversationIsRenderedWithTheRewardModelsChatTemplateAndCutAtItsStart() throws IOException {
        RewardModel.Exchange e = new RewardModel.Exchange(PROMPT, "the cat sat");
        try (RewardModel model = RewardModel.load(rm, 1024); TextTokenizer tokenizer = TextTokenizer.load(rm)) {
            int[] ids = model.tokens(e);
            assertThat(tokenizer.decode(ids, false).replace(" ", ""))
                    .isEqualTo("<|im_start|>user" + PROMPT.replace(" ", "") + "<|im_end|><|im_start|>assistant"
                            + "thecatsat<|im_end|>");
            try (RewardModel cut = RewardModel.load(rm, 5)) {
                int[] last = cut.tokens(e);
                assertThat(last).containsExactly(java.util.Arrays.copyOfRange(ids, ids.length - 5, ids.length));
                assertThat(tokenizer.decode(last, false).replace(" ", "")).isEqualTo("assistantthecatsat<|im_end|>");
                try (NDManager manager = NDManager.newBaseManager("PyTorch");
                        SequenceClassifier classifier = SequenceClassifier.load(rm, manager)) {
                    assertThat(cut.reward(e)).isCloseTo(classifier.scores(List.of(last))[0], within(1e-6));
                    assertThat(model.reward(e)).isCloseTo(classifier.scores(List.of(ids))[0], within(1e-6));
                }
            }
        }
    }

    @Test
    void aReplyScoresTheSameAloneAndInABatchWithLongerOnes() throws IOException {
        double[] alone = new double[REPLIES.size()];
        for (int i = 0; i < REPLIES.size(); i++) {
            try (RewardModel model = RewardModel.load(rm, 1024)) {
                alone[i] = model.reward(exchanges(REPLIES).get(i));
            }
        }
        try (RewardModel model = RewardModel.load(rm, 1024)) {
            double[] batched = model.rewards(exchanges(REPLIES));
            assertThat(model.forwardPasses()).as("eight replies, one batch").isEqualTo(1);
            for (int i = 0; i < alone.length; i++) {
                assertThat(batched[i]).as(REPLIES.get(i)).isCloseTo(alone[i], within(1e-5));
            }
            assertThat(alone).as("different replies get different rewards").doesNotHaveDuplicates();
        }
    }

    @Test
    void aRewardIsComputedOncePerPromptAndReply() throws IOException {
        try (RewardModel model = RewardModel.load(rm, 1024)) {
            double[] first = model.rewards(exchanges(REPLIES.subList(0, 3)));
            double[] again = model.rewards(exchanges(List.of(REPLIES.get(2), REPLIES.get(0), REPLIES.get(2))));
            assertThat(model.forwardPasses()).isEqualTo(1);
            assertThat(again).containsExactly(first[2], first[0], first[2]);
            model.reward(new RewardModel.Exchange("hello", REPLIES.get(0)));
            assertThat(model.forwardPasses()).as("another prompt is another text").isEqualTo(2);
        }
    }

    @Test
    void theJudgePrefersTheHigherRewardAndFlipsWithTheScoreHead() throws IOException {
        Path negated = negatedCopy(rm, root.resolve("rm-negated"));
        EvalPrompt prompt = EvalPrompt.of(PROMPT);
        try (RewardModelJudge judge = judge(rm); RewardModelJudge flipped = judge(negated)) {
            double[] rewards = judge.model().rewards(exchanges(REPLIES));
            List<EvalPrompt> prompts = new ArrayList<>();
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            List<Verdict> verdicts = new ArrayList<>();
            for (int i = 0; i < REPLIES.size(); i++) {
                for (int j = 0; j < REPLIES.size(); j++) {
                    Verdict v = judge.compare(prompt, REPLIES.get(i), REPLIES.get(j));
                    assertThat(v).as("%s vs %s", REPLIES.get(i), REPLIES.get(j))
                            .isEqualTo(i == j ? Verdict.TIE : rewards[i] > rewards[j] ? Verdict.FIRST : Verdict.SECOND);
                    Verdict opposite = v == Verdict.FIRST ? Verdict.SECOND : v == Verdict.SECOND ? Verdict.FIRST
                            : Verdict.TIE;
                    assertThat(flipped.compare(prompt, REPLIES.get(i), REPLIES.get(j)))
                            .as("score.weight negated").isEqualTo(opposite);
                    verdicts.add(v);
                    prompts.add(prompt);
                    first.add(REPLIES.get(i));
                    second.add(REPLIES.get(j));
                }
            }
            assertThat(judge.compareAll(prompts, first, second)).as("in bulk as one by one")
                    .containsExactlyElementsOf(verdicts);
        }
    }

    @Test
    void rewardsCloserThanTheToleranceTie() {
        assertThat(RewardModelJudge.verdict(0.5, 0.5 + 5e-7)).isEqualTo(Verdict.TIE);
        assertThat(RewardModelJudge.verdict(0.5, 0.5 + 2e-6)).isEqualTo(Verdict.SECOND);
        assertThat(RewardModelJudge.verdict(-1.0, -1.1)).isEqualTo(Verdict.FIRST);
    }

    @Test
    void aClassifierOverTwoLabelsIsNotARewardModel() {
        Path dir = RewardModelFolders.convert(TinyJob.model(root.resolve("two-labels"), 3), new float[32], json -> {
            json.remove("id2label");
            json.remove("label2id");
            json.put("num_labels", 2);
        });
        assertThatThrownBy(() -> RewardModel.load(dir, 1024)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("config.json").toString())
                .hasMessageContaining("num_labels is 2");
        Path implicit = RewardModelFolders.convert(TinyJob.model(root.resolve("no-labels"), 3), new float[32],
                json -> json.remove("id2label"));
        assertThatThrownBy(() -> SequenceClassifier.check(implicit))
                .hasMessageContaining(implicit.resolve("config.json").toString())
                .hasMessageContaining("neither num_labels nor id2label");
    }

    @Test
    void aFolderWithoutScoreWeightOrWithACausalLmIsRejectedByName() {
        Path noHead = RewardModelFolders.convert(TinyJob.model(root.resolve("no-head"), 4), null, json -> { });
        assertThatThrownBy(() -> SequenceClassifier.check(noHead))
                .hasMessageContaining(noHead.toString())
                .hasMessageContaining("tensor score.weight is missing from the safetensors files");
        assertThatThrownBy(() -> RewardModel.load(noHead, 1024))
                .hasMessageContaining("score.weight is missing");
        Path causal = TinyJob.model(root.resolve("causal"), 5);
        assertThatThrownBy(() -> SequenceClassifier.check(causal))
                .hasMessageContaining(causal.resolve("config.json").toString())
                .hasMessageContaining("architectures is [\"LlamaForCausalLM\"]")
                .hasMessageContaining("LlamaForSequenceClassification");
    }

    @Test
    void theCausalLmLoaderStillNeedsItsHeadAndRefusesAClassifier() throws IOException {
        TinyModelFactory.Shape untied = new TinyModelFactory.Shape(32, 64, 1, 4, 2, false);
        Path lm = TinyModelFactory.write(root.resolve("untied"), TinyJob.WORDS, untied, 6);
        List<TensorData> withoutHead = new ArrayList<>();
        try (ModelWeights weights = ModelWeights.open(lm)) {
            for (String name : weights.names()) {
                if (!name.equals(TensorNames.LM_HEAD)) {
                    withoutHead.add(weights.read(name));
                }
            }
        }
        Files.delete(lm.resolve(ModelWeights.SINGLE_FILE));
        ModelWeights.save(lm, withoutHead, DType.F32, Long.MAX_VALUE);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> ModelStore.load(lm, manager))
                    .hasMessageContaining("tensor lm_head.weight is missing");
            assertThatThrownBy(() -> ModelStore.load(rm, manager))
                    .hasMessageContaining("LlamaForSequenceClassification' is not supported");
        }
    }

    private static RewardModelJudge judge(Path dir) {
        return new RewardModelJudge(RewardModelSettings.of(dir.toString(), 1024).at(dir.toString(), "test"));
    }

    private static Path negatedCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        List<TensorData> tensors = new ArrayList<>();
        try (ModelWeights weights = ModelWeights.open(to)) {
            for (String name : weights.names()) {
                TensorData t = weights.read(name);
                if (name.equals("score.weight")) {
                    float[] v = t.values();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = -v[i];
                    }
                    t = new TensorData(name, t.shape(), v);
                }
                tensors.add(t);
            }
        }
        Files.delete(to.resolve(ModelWeights.SINGLE_FILE));
        ModelWeights.save(to, tensors, DType.F32, Long.MAX_VALUE);
        return to;
    }
}
