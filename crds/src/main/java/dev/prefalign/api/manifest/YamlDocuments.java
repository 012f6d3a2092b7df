package dev.prefalign.api.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Splits a YAML text into its documents, each with the line and column of every field. A tree loses locations, so
 * the text is read twice: once as tokens to note where each path starts, once into trees.
 */
final class YamlDocuments {

    /** One document: its tree and where each field path (see {@link FieldPaths}) was written. */
    record Document(JsonNode root, Map<String, JsonLocation> locations) {

        /** A problem located at the field, or at its nearest written ancestor when the field is missing. */
        ManifestProblem problem(String path, String message) {
            JsonLocation location = locate(path);
            return location == null
                    ? new ManifestProblem(path, 0, 0, message)
                    : new ManifestProblem(path, location.getLineNr(), location.getColumnNr(), message);
        }

        int line() {
            JsonLocation location = locations.get("");
            return location == null ? 0 : location.getLineNr();
        }

        private JsonLocation locate(String path) {
            String p = path;
            while (true) {
                JsonLocation location = locations.get(p);
                if (location != null || p.isEmpty()) {
                    return location;
                }
                p = FieldPaths.parent(p);
            }
        }
    }

    private YamlDocuments() {
    }

    static List<Document> read(ObjectMapper yamlMapper, String yaml, String origin) throws ManifestException {
        try {
            List<Map<String, JsonLocation>> locations = locate(yamlMapper, yaml);
            List<JsonNode> roots = new ArrayList<>();
            try (JsonParser parser = yamlMapper.createParser(yaml)) {
                while (parser.nextToken() != null) {
                    JsonNode root = yamlMapper.readTree(parser);
                    roots.add(root == null ? NullNode.getInstance() : root);
                }
            }
            if (roots.size() != locations.size()) {
                throw new IllegalStateException("YAML documents counted differently in two passes over " + origin);
            }
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < roots.size(); i++) {
                documents.add(new Document(roots.get(i), locations.get(i)));
            }
            return documents;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String what = summary(e.getOriginalMessage());
            String message = what.startsWith("Duplicate field")
                    ? "duplicate key " + what.substring("Duplicate field".length()).trim() + "; each key may appear "
                    + "once per mapping"
                    : "YAML syntax error: " + what;
            throw new ManifestException(origin, new ManifestProblem("", at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), message), e);
        } catch (IOException e) {
            throw new ManifestException(origin, new ManifestProblem("", 0, 0, "cannot read YAML: " + e.getMessage()),
                    e);
        }
    }

    /** Per document, the location of each path: a field's key, a list element's first token. */
    private static List<Map<String, JsonLocation>> locate(ObjectMapper yamlMapper, String yaml) throws IOException {
        List<Map<String, JsonLocation>> documents = new ArrayList<>();
        try (JsonParser parser = yamlMapper.createParser(yaml)) {
            Map<String, JsonLocation> current = null;
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (depth == 0) {
                    current = new HashMap<>();
                    documents.add(current);
                }
                if (token.isStructEnd()) {
                    depth--;
                    continue;
                }
                JsonStreamContext context = parser.getParsingContext();
                if (token.isStructStart()) {
                    depth++;
                    context = context.getParent(); // the new container's own context has no name yet
                }
                current.putIfAbsent(FieldPaths.of(context), parser.currentTokenLocation());
            }
        }
        return documents;
    }

    /** SnakeYAML's message without its source excerpts: "while parsing X; expected Y, but got Z". */
    private static String summary(String message) {
        if (message == null) {
            return "unreadable input";
        }
        return message.lines()
                .filter(line -> !line.isBlank() && !line.startsWith(" "))
                .map(String::trim)
                .collect(Collectors.joining("; "));
    }
}
