package dev.prefalign.trainer.tokenizer;

/**
 * A chat template that does not parse, or whose render failed: a {@code raise_exception(...)} of the template itself
 * (for example "Conversation roles must alternate user/assistant/user/assistant/...") or an error in an expression.
 * The message names the template and carries the template's own words.
 */
public final class ChatTemplateException extends RuntimeException {

    private final String templateName;

    ChatTemplateException(String templateName, String message, Throwable cause) {
        super("chat template " + templateName + ": " + message, cause);
        this.templateName = templateName;
    }

    /** Where the template came from, for example {@code /models/x/tokenizer_config.json (chat_template)}. */
    public String templateName() {
        return templateName;
    }
}
