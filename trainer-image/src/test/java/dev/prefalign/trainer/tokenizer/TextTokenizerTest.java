package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.trainer.data.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL-backed tokenizer on a real (tiny) tokenizer.json. */
class TextTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void postProcessorAddsBosOnlyWhenSpecialTokensAreRequested() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            assertThat(tokenizer.encode("hello world!", true)).containsExactly(1, 5, 6, 9);
            assertThat(tokenizer.encode("hello world!", false)).containsExactly(5, 6, 9);
        }
    }

    @Test
    void addedSpecialTokensAreSingleTokensInsideText() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            assertThat(tokenizer.encode("<|im_start|>user\nhello<|im_end|>", false)).containsExactly(3, 7, 5, 4);
            assertThat(tokenizer.encode("hello dog", false)).containsExactly(5, 0);
        }
    }

    @Test
    void decodeKeepsOrSkipsSpecialTokens() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            // Without a decoder, Hugging Face tokenizers join the tokens with spaces.
            assertThat(tokenizer.decode(new int[] {1, 5, 6, 9, 2}, false)).isEqualTo("<s> hello world ! </s>");
            assertThat(tokenizer.decode(new int[] {1, 5, 6, 9, 2}, true)).isEqualTo("hello world !");
        }
    }

    @Test
    void longTextIsNeitherTruncatedNorPadded() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            String text = "hello world ".repeat(1000);

            int[] ids = tokenizer.encode(text, true);

            assertThat(ids).hasSize(2001);
            assertThat(ids[0]).isEqualTo(1);
            assertThat(ids[2000]).isEqualTo(6);
            assertThat(tokenizer.encode("cat", false)).containsExactly(11);
        }
    }

    @Test
    void specialTokenIdsWithPadFallingBackToEos() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            assertThat(tokenizer.eosId()).isEqualTo(2);
            assertThat(tokenizer.bosId()).hasValue(1);
            assertThat(tokenizer.padId()).isEqualTo(2);
            assertThat(tokenizer.tokenId("world")).hasValue(6);
            assertThat(tokenizer.tokenId("<|im_end|>")).hasValue(4);
            assertThat(tokenizer.tokenId("dog")).isEqualTo(OptionalInt.empty());
            assertThat(tokenizer.vocabSize()).isEqualTo(12);
            assertThat(tokenizer.config().eosToken()).isEqualTo("</s>");
        }
    }

    @Test
    void configuredPadTokenIsUsed() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, "\"pad_token\": \"<|im_end|>\""))) {
            assertThat(tokenizer.padId()).isEqualTo(4);
        }
    }

    @Test
    void chatTemplateRendersAndTheRenderedPromptTokenizes() throws IOException {
        String members = "\"chat_template\": " + TinyModelDir.jsonString(TinyModelDir.CHATML);
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, members))) {
            ChatTemplate template = tokenizer.chatTemplate().orElseThrow();
            String prompt = template.render(List.of(new Message("user", "hello world")), true);

            assertThat(prompt).isEqualTo("<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n");
            assertThat(tokenizer.encode(prompt, false)).containsExactly(3, 7, 5, 6, 4, 3, 8);
            assertThat(template.name()).contains(dir.toString()).contains("chat_template");
        }
    }

    @Test
    void modelWithoutChatTemplateHasNone() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyModelDir.write(dir, ""))) {
            assertThat(tokenizer.chatTemplate()).isEmpty();
        }
    }

    @Test
    void missingTokenizerJsonIsReportedWithItsPath() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");

        assertThatThrownBy(() -> TextTokenizer.load(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(dir.resolve("tokenizer.json").toString())
            .hasMessageContaining("save_pretrained");
    }

    @Test
    void eosTokenMissingFromTheVocabularyIsAnError() throws IOException {
        TinyModelDir.write(dir, "");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": \"<|eot_id|>\"}");

        assertThatThrownBy(() -> TextTokenizer.load(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("<|eot_id|>")
            .hasMessageContaining("eos_token");
    }

    @Test
    void noEosTokenAnywhereIsAnError() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), TinyModelDir.TOKENIZER_JSON);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");

        assertThatThrownBy(() -> TextTokenizer.load(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("no eos_token");
    }
}
