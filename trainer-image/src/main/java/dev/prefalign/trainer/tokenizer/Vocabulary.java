package dev.prefalign.trainer.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Token strings and ids as {@code tokenizer.json} lists them (model vocabulary plus added tokens). DJL's tokenizer
 * binding offers no token-to-id lookup, and special tokens must be looked up by their exact string, not by encoding
 * it (a normalizer or pre-tokenizer could split it).
 */
final class Vocabulary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> ids;
    private final Map<Integer, String> tokens;
    private final int size;

    private Vocabulary(Map<String, Integer> ids, Map<Integer, String> tokens) {
        this.ids = ids;
        this.tokens = tokens;
        this.size = tokens.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    static Vocabulary read(Path tokenizerJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new IOException(tokenizerJson + " is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, String> tokens = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            // BPE, WordLevel, WordPiece: {"token": id}
            vocab.properties().forEach(e -> put(ids, tokens, e.getKey(), e.getValue().asInt()));
        } else if (vocab.isArray()) {
            // Unigram: [[piece, score], ...], the id being the position
            for (int id = 0; id < vocab.size(); id++) {
                put(ids, tokens, vocab.get(id).path(0).asText(), id);
            }
        } else {
            throw new IOException(tokenizerJson + ": model.vocab is missing; expected a map of token to id "
                + "(BPE, WordLevel, WordPiece) or a list of [piece, score] (Unigram)");
        }
        JsonNode added = root.path("added_tokens");
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.get(i);
            if (!token.path("content").isTextual() || !token.path("id").canConvertToInt()) {
                throw new IOException(tokenizerJson + ": added_tokens[" + i + "] needs a string content and an "
                    + "integer id, found " + token);
            }
            put(ids, tokens, token.get("content").asText(), token.get("id").asInt());
        }
        return new Vocabulary(ids, tokens);
    }

    private static void put(Map<String, Integer> ids, Map<Integer, String> tokens, String token, int id) {
        ids.put(token, id);
        tokens.put(id, token);
    }

    OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token with this id, or null when tokenizer.json does not list it. */
    String token(int id) {
        return tokens.get(id);
    }

    /** One more than the largest id, which is {@code len(tokenizer)} in transformers. */
    int size() {
        return size;
    }
}
