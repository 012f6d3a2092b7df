package dev.prefalign.trainer.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny but real Hugging Face tokenizer into a directory: a WordLevel model with a Whitespace pre-tokenizer,
 * four added special tokens, and a TemplateProcessing post-processor that puts {@code <s>} in front of a sequence when
 * special tokens are requested (as Llama's tokenizers do).
 */
final class TinyModelDir {

    static final String TOKENIZER_JSON = """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true},
            {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true},
            {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true},
            {"id": 3, "content": "<|im_start|>", "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true},
            {"id": 4, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true}
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
            "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<|im_start|>": 3, "<|im_end|>": 4, "hello": 5,
                      "world": 6, "user": 7, "assistant": 8, "!": 9, "the": 10, "cat": 11},
            "unk_token": "<unk>"
          }
        }
        """;

    /** ChatML as SmolLM2 writes it, default system prompt left out. */
    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
        + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TinyModelDir() {}

    /** tokenizer.json plus a tokenizer_config.json with the given extra JSON members (may be empty). */
    static Path write(Path dir, String configMembers) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
        String config = "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"unk_token\": \"<unk>\""
            + (configMembers.isEmpty() ? "" : ", " + configMembers) + "}";
        Files.writeString(dir.resolve("tokenizer_config.json"), config);
        return dir;
    }

    static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
