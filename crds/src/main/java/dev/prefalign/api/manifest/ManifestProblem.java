package dev.prefalign.api.manifest;

/**
 * One thing wrong with a manifest.
 *
 * @param path    the field, e.g. {@code spec.training.learningRate}; empty for the document as a whole
 * @param line    1-based line in the file (of the field, or of its nearest written ancestor when the field is
 *                missing); 0 when unknown
 * @param column  1-based column; 0 when unknown
 * @param message a whole sentence naming the field, what is wrong and how to fix it
 */
public record ManifestProblem(String path, int line, int column, String message) {

    /** {@code origin:line:column: message}, the form compilers use, so editors can jump to it. */
    public String describe(String origin) {
        return line > 0 ? origin + ":" + line + ":" + column + ": " + message : origin + ": " + message;
    }
}
