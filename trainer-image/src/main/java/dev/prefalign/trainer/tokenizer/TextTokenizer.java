package dev.prefalign.trainer.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The model's tokenizer: Hugging Face's Rust tokenizer (through DJL) built from {@code tokenizer.json}, with the
 * special tokens and chat template of {@link TokenizerConfig}.
 *
 * <p>Truncation and padding are off. DJL's defaults ({@code truncation=LONGEST_FIRST, maxLength=512}) would cut long
 * prompts silently; the trainer truncates itself, prompt first, as alignment-math.md describes. Whether
 * {@code encode(text, true)} adds a BOS is the tokenizer's post-processor's decision, as in transformers.
 */
public final class TextTokenizer implements AutoCloseable {

    static final String TOKENIZER_JSON = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final TokenizerConfig config;
    private final ChatTemplate chatTemplate;
    private final int eosId;
    private final OptionalInt bosId;
    private final OptionalInt padId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, TokenizerConfig config,
            ChatTemplate chatTemplate, int eosId, OptionalInt bosId, OptionalInt padId) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.config = config;
        this.chatTemplate = chatTemplate;
        this.eosId = eosId;
        this.bosId = bosId;
        this.padId = padId;
    }

    /**
     * Loads {@code tokenizer.json} and the tokenizer configuration of a model directory.
     *
     * @throws IOException when {@code tokenizer.json} is missing or unreadable, or no EOS token is configured, or a
     *     configured special token is not in the vocabulary
     * @throws ChatTemplateException when the model's chat template does not parse
     */
    public static TextTokenizer load(Path modelDir) throws IOException {
        Path file = modelDir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found: prefalign needs the fast tokenizer file; write it with "
                + "transformers' AutoTokenizer.from_pretrained(model).save_pretrained(dir)");
        }
        TokenizerConfig config = TokenizerConfig.read(modelDir);
        Vocabulary vocabulary = Vocabulary.read(file);
        if (config.eosToken() == null) {
            throw new IOException(modelDir + ": no eos_token in " + TokenizerConfig.TOKENIZER_CONFIG + ", "
                + TokenizerConfig.SPECIAL_TOKENS_MAP + " or " + TokenizerConfig.GENERATION_CONFIG
                + "; completions end with EOS, so set eos_token in " + TokenizerConfig.TOKENIZER_CONFIG);
        }
        int eosId = requireId(vocabulary, file, "eos_token", config.eosToken()).getAsInt();
        OptionalInt bosId = requireId(vocabulary, file, "bos_token", config.bosToken());
        OptionalInt padId = requireId(vocabulary, file, "pad_token", config.padToken());
        ChatTemplate template = config.chatTemplate() == null ? null
            : ChatTemplate.compile(config.chatTemplate(), config, modelDir + " (chat_template)");

        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
            .optTokenizerPath(file)
            .optTruncation(false)
            .optPadding(false)
            .optAddSpecialTokens(true)
            .build();
        return new TextTokenizer(tokenizer, vocabulary, config, template, eosId, bosId, padId);
    }

    private static OptionalInt requireId(Vocabulary vocabulary, Path file, String field, String token)
            throws IOException {
        if (token == null) {
            return OptionalInt.empty();
        }
        OptionalInt id = vocabulary.id(token);
        if (id.isEmpty()) {
            throw new IOException(file + " has no token " + quote(token) + ", which the tokenizer configuration names "
                + "as " + field + "; the tokenizer files do not belong together");
        }
        return id;
    }

    /** Token ids of {@code text}; with {@code addSpecialTokens} the post-processor adds its tokens (BOS, ...). */
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        long[] ids = tokenizer.encode(text, addSpecialTokens, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, skipSpecialTokens);
    }

    /** The id of a token as tokenizer.json lists it (vocabulary or added tokens), exact string match. */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    public int eosId() {
        return eosId;
    }

    public OptionalInt bosId() {
        return bosId;
    }

    /** The pad token's id, or EOS's when the model has no pad token (as TRL sets {@code pad_token = eos_token}). */
    public int padId() {
        return padId.orElse(eosId);
    }

    public TokenizerConfig config() {
        return config;
    }

    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** Number of token ids the tokenizer can produce ({@code len(tokenizer)}); the model's embedding may be larger. */
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static String quote(String token) {
        return "\"" + token.replace("\n", "\\n") + "\"";
    }
}
