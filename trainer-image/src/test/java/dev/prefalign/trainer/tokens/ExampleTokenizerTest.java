package dev.prefalign.trainer.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.trainer.data.DatasetFormat;
import dev.prefalign.trainer.data.InvalidRowPolicy;
import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.data.PreferenceDatasets;
import dev.prefalign.trainer.data.PreferenceExample;
import dev.prefalign.trainer.data.Segment;
import dev.prefalign.trainer.data.SftExample;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids of examples as alignment-math.md defines them, checked against ids worked out by hand from a WordLevel
 * tokenizer whose post-processor puts {@code <s>} in front when special tokens are requested (as Llama's does).
 */
class ExampleTokenizerTest {
    // Ids of the vocabulary below.
    private static final int BOS = 1;
    private static final int IM_START = 3;
    private static final int IM_END = 4; // also the EOS token, as in ChatML models (SmolLM2, Qwen2)
    private static final int HELLO = 5;
    private static final int WORLD = 6;
    private static final int USER = 7;
    private static final int ASSISTANT = 8;
    private static final int THE = 10;
    private static final int CAT = 11;
    private static final int SYSTEM = 12;
    private static final int DOG = 13;
    private static final int SAT = 14;

    private static final String TOKENIZER_JSON = """
            {
              "version": "1.0", "truncation": null, "padding": null,
              "added_tokens": [
                {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 3, "content": "<|im_start|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                {"id": 4, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
              ],
              "normalizer": null,
              "pre_tokenizer": {"type": "Whitespace"},
              "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}
              },
              "decoder": null,
              "model": {
                "type": "WordLevel",
                "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<|im_start|>": 3, "<|im_end|>": 4, "hello": 5, "world": 6,
                          "user": 7, "assistant": 8, "!": 9, "the": 10, "cat": 11, "system": 12, "dog": 13, "sat": 14},
                "unk_token": "<unk>"
              }
            }
            """;
    private static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\\\n' + "
            + "message['content'] + '<|im_end|>' + '\\\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\\\n' }}{% endif %}";

    @TempDir
    Path dir;

    private TextTokenizer tokenizer(boolean withChatTemplate) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"<|im_end|>\","
                + " \"unk_token\": \"<unk>\"" + (withChatTemplate ? ", \"chat_template\": \"" + CHATML + "\"" : "")
                + "}");
        return TextTokenizer.load(dir);
    }

    private static ExampleTokenizer wide(TextTokenizer t) {
        return new ExampleTokenizer(t, new Truncation(512, 1024));
    }

    private static PreferenceExample text(String prompt, String chosen, String rejected) {
        return new PreferenceExample("test.jsonl:row 1", new Segment.Text(prompt), new Segment.Text(chosen),
                new Segment.Text(rejected));
    }

    private static Segment.Chat chat(Message... messages) {
        return new Segment.Chat(List.of(messages));
    }

    @Test
    void standardPromptGetsSpecialTokensAndCompletionsEndInOneEos() throws IOException {
        try (TextTokenizer t = tokenizer(true)) {
            TokenizedPair p = wide(t).pair(text("hello world", "the cat", "the dog <|im_end|>"));
            assertThat(p.prompt()).as("the post-processor's BOS in front of the prompt").containsExactly(BOS, HELLO,
                    WORLD);
            assertThat(p.chosen()).as("no BOS inside a completion, EOS appended").containsExactly(THE, CAT, IM_END);
            assertThat(p.rejected()).as("a text that already ends with EOS gets no second one")
                    .containsExactly(THE, DOG, IM_END);
            assertThat(p.origin()).isEqualTo("test.jsonl:row 1");
        }
    }

    @Test
    void sftSequencesFollowTheSameRules() throws IOException {
        try (TextTokenizer t = tokenizer(true)) {
            TokenizedSequence s = wide(t).sequence(new SftExample("sft.jsonl:row 2", new Segment.Text("hello"),
                    new Segment.Text("the cat")));
            assertThat(s.prompt()).containsExactly(BOS, HELLO);
            assertThat(s.completion()).containsExactly(THE, CAT, IM_END);
        }
    }

    @Test
    void conversationalPromptIsTheTemplateWithGenerationPromptAndCompletionTheAssistantTurn() throws IOException {
        try (TextTokenizer t = tokenizer(true)) {
            PreferenceExample e = new PreferenceExample("chat.jsonl:row 1",
                    chat(new Message("user", "hello world")),
                    chat(new Message("assistant", "the cat")),
                    chat(new Message("assistant", "the dog !")));
            TokenizedPair p = wide(t).pair(e);
            // "<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n": the template's own tokens, no BOS
            assertThat(p.prompt()).containsExactly(IM_START, USER, HELLO, WORLD, IM_END, IM_START, ASSISTANT);
            // "the cat<|im_end|>\n": the rendered turn already ends with EOS (the newline is no token here)
            assertThat(p.chosen()).containsExactly(THE, CAT, IM_END);
            assertThat(p.rejected()).containsExactly(THE, DOG, 9, IM_END);
        }
    }

    @Test
    void multiTurnPromptKeepsEveryEarlierTurnAndTheCompletionOnlyTheLastAnswer() throws IOException {
        try (TextTokenizer t = tokenizer(true)) {
            PreferenceExample e = new PreferenceExample("chat.jsonl:row 2",
                    chat(new Message("system", "hello"), new Message("user", "the cat"),
                            new Message("assistant", "world"), new Message("user", "the dog")),
                    chat(new Message("assistant", "sat")),
                    chat(new Message("assistant", "cat sat")));
            TokenizedPair p = wide(t).pair(e);
            assertThat(p.prompt()).containsExactly(
                    IM_START, SYSTEM, HELLO, IM_END,
                    IM_START, USER, THE, CAT, IM_END,
                    IM_START, ASSISTANT, WORLD, IM_END,
                    IM_START, USER, THE, DOG, IM_END,
                    IM_START, ASSISTANT);
            assertThat(p.chosen()).containsExactly(SAT, IM_END);
            assertThat(p.rejected()).containsExactly(CAT, SAT, IM_END);
        }
    }

    @Test
    void truncationKeepsThePromptsEndAndTheCompletionsStart() throws IOException {
        try (TextTokenizer t = tokenizer(true)) {
            ExampleTokenizer tok = new ExampleTokenizer(t, new Truncation(3, 6));
            TokenizedPair p = tok.pair(text("hello world the cat", "hello world the cat", "dog"));
            // <s> hello world the cat -> its last 3 tokens
            assertThat(p.prompt()).containsExactly(WORLD, THE, CAT);
            // 3 tokens of room left: the start of the completion (its EOS is cut, as TRL cuts it)
            assertThat(p.chosen()).containsExactly(HELLO, WORLD, THE);
            assertThat(p.rejected()).as("short completions stay whole").containsExactly(DOG, IM_END);

            TokenizedPair shortPrompt = tok.pair(text("hello", "the cat sat dog hello world", "dog"));
            assertThat(shortPrompt.prompt()).containsExactly(BOS, HELLO);
            assertThat(shortPrompt.chosen()).as("room after a 2-token prompt is 4").containsExactly(THE, CAT, SAT, DOG);
        }
    }

    @Test
    void conversationalDataWithoutChatTemplateNamesTheRow() throws Exception {
        Path data = dir.resolve("data/prefs.jsonl");
        Files.createDirectories(data.getParent());
        Files.writeString(data, """
                {"prompt": [{"role": "user", "content": "hello"}], "chosen": [{"role": "assistant", "content": "the cat"}], "rejected": [{"role": "assistant", "content": "the dog"}]}
                {"prompt": [{"role": "user", "content": "world"}], "chosen": [{"role": "assistant", "content": "sat"}], "rejected": [{"role": "assistant", "content": "dog"}]}
                """);
        List<PreferenceExample> examples = PreferenceDatasets.read(data, "train", DatasetFormat.AUTO,
                InvalidRowPolicy.FAIL, 0).examples();
        assertThat(examples).hasSize(2);
        String origin = examples.get(0).origin();
        assertThat(origin).contains("prefs.jsonl").contains("1");
        try (TextTokenizer t = tokenizer(false)) {
            ExampleTokenizer tok = wide(t);
            assertThatThrownBy(() -> tok.pairs(examples))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(origin)
                    .hasMessageContaining("conversational")
                    .hasMessageContaining("chat_template");
            // standard rows do not need a template
            assertThat(tok.pair(text("hello", "the cat", "dog")).chosen()).containsExactly(THE, CAT, IM_END);
        }
    }
}
