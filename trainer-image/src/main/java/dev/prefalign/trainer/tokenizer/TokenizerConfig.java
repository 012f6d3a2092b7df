package dev.prefalign.trainer.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The special tokens and chat templates of a Hugging Face model directory, read the way transformers'
 * {@code AutoTokenizer.from_pretrained} reads them.
 *
 * <p>Special tokens: {@code tokenizer_config.json}, overridden by {@code special_tokens_map.json} as in transformers;
 * {@code generation_config.json}'s {@code *_token_id} (looked up in {@code tokenizer.json}) only names a token that
 * neither file names. Special tokens may be strings or AddedToken objects ({@code {"content": ...}}).
 *
 * <p>Chat templates: {@code chat_template} in {@code tokenizer_config.json} may be a string or a list of
 * {@code {name, template}}; a separate {@code chat_template.jinja} (or {@code chat_template.json}), as newer
 * transformers write it, replaces it; {@code additional_chat_templates/<name>.jinja} adds named ones. The template
 * named {@code default} is the one used.
 *
 * @param bosToken beginning-of-sequence token, or null when the model has none (Qwen2.5)
 * @param eosToken end-of-sequence token, or null when no file names one
 * @param padToken padding token, or null (Llama 3); trainers fall back to EOS as TRL does
 * @param unkToken unknown token, or null
 * @param chatTemplate the template applied to conversations, or null when the model has none
 * @param namedTemplates every named template (including {@code default} when the model names its templates)
 */
public record TokenizerConfig(
    String bosToken,
    String eosToken,
    String padToken,
    String unkToken,
    String chatTemplate,
    Map<String, String> namedTemplates) {

    /** The template name transformers uses when it is not told which one to apply. */
    public static final String DEFAULT_TEMPLATE = "default";

    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    static final String GENERATION_CONFIG = "generation_config.json";
    static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";
    static final String CHAT_TEMPLATE_JSON = "chat_template.json";
    static final String ADDITIONAL_TEMPLATES_DIR = "additional_chat_templates";

    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenizerConfig {
        namedTemplates = Map.copyOf(Objects.requireNonNull(namedTemplates, "namedTemplates"));
    }

    /**
     * Reads the tokenizer configuration of a model directory.
     *
     * @throws IOException when a file exists but cannot be read or parsed, or when the directory holds none of
     *     {@code tokenizer_config.json} and {@code special_tokens_map.json}
     */
    public static TokenizerConfig read(Path modelDir) throws IOException {
        Path configFile = modelDir.resolve(TOKENIZER_CONFIG);
        Path specialFile = modelDir.resolve(SPECIAL_TOKENS_MAP);
        Optional<JsonNode> config = readJson(configFile);
        Optional<JsonNode> special = readJson(specialFile);
        if (config.isEmpty() && special.isEmpty()) {
            throw new IOException(modelDir + " holds neither " + TOKENIZER_CONFIG + " nor " + SPECIAL_TOKENS_MAP
                + ": copy the tokenizer files of the model (as saved by transformers' save_pretrained) into it");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String key : new String[] {"bos_token", "eos_token", "pad_token", "unk_token"}) {
            String fromConfig = config.isPresent() ? tokenContent(config.get(), key, configFile) : null;
            String fromSpecial = special.isPresent() ? tokenContent(special.get(), key, specialFile) : null;
            // transformers lets special_tokens_map.json override tokenizer_config.json.
            tokens.put(key, fromSpecial != null ? fromSpecial : fromConfig);
        }
        fillFromGenerationConfig(modelDir, tokens);

        Map<String, String> named = new TreeMap<>();
        String template = config.isPresent() ? templateFromConfig(config.get(), configFile, named) : null;
        Path jinjaFile = modelDir.resolve(CHAT_TEMPLATE_JINJA);
        Path jsonFile = modelDir.resolve(CHAT_TEMPLATE_JSON);
        if (Files.isRegularFile(jinjaFile)) {
            template = Files.readString(jinjaFile);
        } else if (Files.isRegularFile(jsonFile)) {
            JsonNode node = readJson(jsonFile).orElseThrow();
            JsonNode text = node.get("chat_template");
            if (text == null || !text.isTextual()) {
                throw new IOException(jsonFile + ": expected {\"chat_template\": \"...\"} with a string template");
            }
            template = text.asText();
        }
        Path extraDir = modelDir.resolve(ADDITIONAL_TEMPLATES_DIR);
        if (Files.isDirectory(extraDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(extraDir, "*.jinja")) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    named.put(name.substring(0, name.length() - ".jinja".length()), Files.readString(file));
                }
            }
        }
        if (template != null && !named.isEmpty()) {
            named.put(DEFAULT_TEMPLATE, template);
        }
        if (template == null) {
            template = named.get(DEFAULT_TEMPLATE);
        }
        return new TokenizerConfig(tokens.get("bos_token"), tokens.get("eos_token"), tokens.get("pad_token"),
            tokens.get("unk_token"), template, named);
    }

    /** The template registered under {@code name}, or the main one for {@code default}. */
    public Optional<String> template(String name) {
        if (DEFAULT_TEMPLATE.equals(name) && chatTemplate != null) {
            return Optional.of(chatTemplate);
        }
        return Optional.ofNullable(namedTemplates.get(name));
    }

    private static Optional<JsonNode> readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A special token given as a string, as an AddedToken object, or absent/null. */
    private static String tokenContent(JsonNode root, String key, Path file) throws IOException {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject() && value.path("content").isTextual()) {
            return value.get("content").asText();
        }
        throw new IOException(file + ": field " + key + " must be a string or an object with a string \"content\" "
            + "(an AddedToken), found " + value);
    }

    private static String templateFromConfig(JsonNode config, Path file, Map<String, String> named)
            throws IOException {
        JsonNode value = config.get("chat_template");
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            int index = 0;
            for (JsonNode entry : value) {
                JsonNode name = entry.get("name");
                JsonNode template = entry.get("template");
                if (name == null || !name.isTextual() || template == null || !template.isTextual()) {
                    throw new IOException(file + ": chat_template[" + index + "] must be {\"name\": string, "
                        + "\"template\": string}");
                }
                named.put(name.asText(), template.asText());
                index++;
            }
            return named.get(DEFAULT_TEMPLATE);
        }
        throw new IOException(file + ": chat_template must be a string or a list of {name, template}, found "
            + value.getNodeType());
    }

    /**
     * Names the tokens that neither tokenizer file names from generation_config.json's ids. The ids are looked up in
     * tokenizer.json; an id that it does not know is left out rather than guessed.
     */
    private static void fillFromGenerationConfig(Path modelDir, Map<String, String> tokens) throws IOException {
        if (!tokens.containsValue(null)) {
            return;
        }
        Path generationFile = modelDir.resolve(GENERATION_CONFIG);
        Optional<JsonNode> generation = readJson(generationFile);
        Path tokenizerFile = modelDir.resolve(TextTokenizer.TOKENIZER_JSON);
        if (generation.isEmpty() || !Files.isRegularFile(tokenizerFile)) {
            return;
        }
        Vocabulary vocabulary = null;
        for (String key : new String[] {"bos_token", "eos_token", "pad_token"}) {
            JsonNode id = generation.get().get(key + "_id");
            if (tokens.get(key) != null || id == null || id.isNull()) {
                continue;
            }
            // A list of EOS ids (Llama 3.1 lists three): the first one is the tokenizer's own.
            JsonNode first = id.isArray() ? id.path(0) : id;
            if (!first.canConvertToInt()) {
                throw new IOException(generationFile + ": " + key + "_id must be an integer or a list of integers, "
                    + "found " + id);
            }
            if (vocabulary == null) {
                vocabulary = Vocabulary.read(tokenizerFile);
            }
            tokens.put(key, vocabulary.token(first.asInt()));
        }
    }
}
