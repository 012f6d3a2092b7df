package dev.prefalign.api.v1alpha1.validation;

/**
 * One rule a spec breaks.
 *
 * @param path    the offending field, e.g. {@code spec.training.maxPromptLength} (for locating it in a manifest)
 * @param message a whole sentence naming the field, what is wrong and how to fix it
 */
public record SpecViolation(String path, String message) {

    @Override
    public String toString() {
        return message;
    }
}
