package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTest {

    @TempDir
    Path dir;

    private void write(String file, String text) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void specialTokensAsStringsOrAddedTokenObjects() throws IOException {
        write("tokenizer_config.json", """
            {"bos_token": {"__type": "AddedToken", "content": "<|begin_of_text|>", "lstrip": false,
                           "normalized": false, "rstrip": false, "single_word": false},
             "eos_token": "<|eot_id|>", "pad_token": null,
             "chat_template": "{{ bos_token }}"}
            """);

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config).isEqualTo(
            new TokenizerConfig("<|begin_of_text|>", "<|eot_id|>", null, null, "{{ bos_token }}", Map.of()));
    }

    @Test
    void specialTokensMapOverridesTokenizerConfigAsInTransformers() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\", \"unk_token\": \"<unk>\"}");
        write("special_tokens_map.json", "{\"eos_token\": {\"content\": \"<|im_end|>\"}, \"pad_token\": \"<pad>\"}");

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config.eosToken()).isEqualTo("<|im_end|>");
        assertThat(config.padToken()).isEqualTo("<pad>");
        assertThat(config.unkToken()).isEqualTo("<unk>");
        assertThat(config.chatTemplate()).isNull();
    }

    @Test
    void namedTemplateListUsesTheDefaultOne() throws IOException {
        write("tokenizer_config.json", """
            {"eos_token": "</s>", "chat_template": [
              {"name": "default", "template": "plain"},
              {"name": "tool_use", "template": "with tools"}]}
            """);

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config.chatTemplate()).isEqualTo("plain");
        assertThat(config.namedTemplates()).containsOnly(Map.entry("default", "plain"),
            Map.entry("tool_use", "with tools"));
        assertThat(config.template("tool_use")).hasValue("with tools");
        assertThat(config.template("rag")).isEmpty();
    }

    @Test
    void namedTemplateListWithoutDefaultHasNoChatTemplate() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"t\"}]}");

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config.chatTemplate()).isNull();
        assertThat(config.namedTemplates()).containsOnly(Map.entry("tool_use", "t"));
    }

    @Test
    void chatTemplateJinjaFileReplacesTheConfigsTemplate() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\", \"chat_template\": \"old\"}");
        write("chat_template.jinja", "{{ messages[0]['content'] }}\n");
        write("chat_template.json", "{\"chat_template\": \"from json\"}");

        assertThat(TokenizerConfig.read(dir).chatTemplate()).isEqualTo("{{ messages[0]['content'] }}\n");
    }

    @Test
    void chatTemplateJsonFileWhenThereIsNoJinjaFile() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
        write("chat_template.json", "{\"chat_template\": \"from json\"}");

        assertThat(TokenizerConfig.read(dir).chatTemplate()).isEqualTo("from json");
    }

    @Test
    void additionalChatTemplatesDirectoryAddsNamedTemplates() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
        write("chat_template.jinja", "main");
        write("additional_chat_templates/tool_use.jinja", "tools");

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config.chatTemplate()).isEqualTo("main");
        assertThat(config.namedTemplates()).containsOnly(Map.entry("default", "main"), Map.entry("tool_use", "tools"));
    }

    @Test
    void generationConfigNamesTokensTheTokenizerFilesLeaveOut() throws IOException {
        write("tokenizer.json", TinyModelDir.TOKENIZER_JSON);
        write("tokenizer_config.json", "{\"unk_token\": \"<unk>\"}");
        write("generation_config.json", "{\"bos_token_id\": 1, \"eos_token_id\": [2, 4], \"pad_token_id\": 3}");

        TokenizerConfig config = TokenizerConfig.read(dir);

        assertThat(config.bosToken()).isEqualTo("<s>");
        assertThat(config.eosToken()).isEqualTo("</s>");
        assertThat(config.padToken()).isEqualTo("<|im_start|>");
    }

    @Test
    void directoryWithoutTokenizerConfigurationIsAnError() {
        assertThatThrownBy(() -> TokenizerConfig.read(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("tokenizer_config.json")
            .hasMessageContaining("special_tokens_map.json");
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": ");
        assertThatThrownBy(() -> TokenizerConfig.read(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(dir.resolve("tokenizer_config.json").toString());

        write("tokenizer_config.json", "{\"chat_template\": 42}");
        assertThatThrownBy(() -> TokenizerConfig.read(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("chat_template must be a string or a list");

        write("tokenizer_config.json", "{\"eos_token\": 7}");
        assertThatThrownBy(() -> TokenizerConfig.read(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("field eos_token must be a string");
    }
}
