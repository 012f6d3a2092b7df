package dev.prefalign.api.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.FieldPaths;
import dev.prefalign.api.manifest.ManifestProblem;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a one-document YAML text was written, so that a problem found on the tree can name its line.
 * A tree loses locations; this reads the text once more as tokens.
 */
public final class YamlLocations {
    private final Map<String, JsonLocation> locations;

    private YamlLocations(Map<String, JsonLocation> locations) {
        this.locations = locations;
    }

    /** No locations: problems name their field only (an experiment read from the API server, not a file). */
    public static YamlLocations none() {
        return new YamlLocations(Map.of());
    }

    public static YamlLocations of(ObjectMapper yaml, String text) {
        Map<String, JsonLocation> out = new HashMap<>();
        try (JsonParser parser = yaml.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                JsonStreamContext context = parser.getParsingContext();
                if (token == JsonToken.FIELD_NAME) {
                    out.putIfAbsent(FieldPaths.of(context), parser.currentTokenLocation());
                    continue;
                }
                if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
                    continue;
                }
                // A list element starts here; a START token has already opened its own context.
                JsonStreamContext container = token.isStructStart() ? context.getParent() : context;
                if (container != null && container.inArray()) {
                    out.putIfAbsent(FieldPaths.of(container), parser.currentTokenLocation());
                }
            }
        } catch (IOException e) {
            // the text was parsed before; locations are a help, never a reason to fail
        }
        return new YamlLocations(out);
    }

    /** A problem at the field, or at its nearest written ancestor. */
    public ManifestProblem problem(String path, String message) {
        String p = path;
        while (true) {
            JsonLocation location = locations.get(p);
            if (location != null) {
                return new ManifestProblem(path, location.getLineNr(), location.getColumnNr(), message);
            }
            if (p.isEmpty()) {
                return new ManifestProblem(path, 0, 0, message);
            }
            p = FieldPaths.parent(p);
        }
    }
}
