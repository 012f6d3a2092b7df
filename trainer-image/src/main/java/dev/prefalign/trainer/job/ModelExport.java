package dev.prefalign.trainer.job;

import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.safetensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a trained model in Hugging Face layout: weights in the dtype the base model came in, config.json, and the
 * base model's tokenizer files (tokenizer, special tokens, chat template, generation config) so that transformers and
 * vLLM load the folder as it is.
 */
public final class ModelExport {
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "chat_template.jinja", "chat_template.json", "generation_config.json",
            "vocab.json", "merges.txt", "tokenizer.model", "added_tokens.json");

    private ModelExport() {
    }

    public static void export(CausalLm model, Path baseModelDir, Path outputDir) throws IOException {
        DType dtype = ModelStore.storedDType(model.config());
        ModelStore.save(model, outputDir, dtype);
        for (String name : TOKENIZER_FILES) {
            Path from = baseModelDir.resolve(name);
            if (Files.isRegularFile(from)) {
                Files.copy(from, outputDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
