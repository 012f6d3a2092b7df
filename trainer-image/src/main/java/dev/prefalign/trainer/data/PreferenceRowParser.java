package dev.prefalign.trainer.data;

import java.util.List;

/**
 * A preference row in TRL's formats: {@code prompt}/{@code chosen}/{@code rejected} as text or message lists, the
 * prompt optional (then inferred from what chosen and rejected share).
 */
final class PreferenceRowParser implements RowParser<PreferenceExample> {

    private static final String PROMPT = "prompt";
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";

    @Override
    public DatasetFormat detect(RowColumns row) throws InvalidRowException {
        Object chosen = row.value(CHOSEN);
        if (chosen instanceof String) {
            return DatasetFormat.STANDARD;
        }
        if (chosen instanceof List<?>) {
            return DatasetFormat.CONVERSATIONAL;
        }
        throw new InvalidRowException(CHOSEN, "expected text or a list of messages [{role, content}] but found "
                + ValueTypes.describe(chosen));
    }

    @Override
    public PreferenceExample parse(RowColumns row, ResolvedFormat format) throws InvalidRowException {
        Segment chosen = format.segment(row, CHOSEN);
        Segment rejected = format.segment(row, REJECTED);
        if (chosen.equals(rejected)) {
            throw new InvalidRowException(REJECTED, "identical to 'chosen': a preference pair needs two different"
                    + " completions");
        }
        ImplicitPrompt.Split split = format.conversational()
                ? splitConversation(row, format, (Segment.Chat) chosen, (Segment.Chat) rejected)
                : splitText(row, format, (Segment.Text) chosen, (Segment.Text) rejected);
        Completions.requireTrainable(CHOSEN, split.chosen());
        Completions.requireTrainable(REJECTED, split.rejected());
        return new PreferenceExample(row.origin(), split.prompt(), split.chosen(), split.rejected());
    }

    private static ImplicitPrompt.Split splitText(RowColumns row, ResolvedFormat format, Segment.Text chosen,
            Segment.Text rejected) throws InvalidRowException {
        if (!row.has(PROMPT)) {
            return ImplicitPrompt.ofText(chosen.text(), rejected.text());
        }
        return new ImplicitPrompt.Split(format.segment(row, PROMPT), chosen, rejected);
    }

    private static ImplicitPrompt.Split splitConversation(RowColumns row, ResolvedFormat format, Segment.Chat chosen,
            Segment.Chat rejected) throws InvalidRowException {
        if (!row.has(PROMPT)) {
            return ImplicitPrompt.ofMessages(chosen.messages(), rejected.messages());
        }
        Object prompt = row.value(PROMPT);
        if (prompt instanceof String text) {
            // HuggingFaceH4/ultrafeedback_binarized keeps the prompt as text next to whole conversations: like TRL's
            // maybe_extract_prompt, take the prompt from the conversations then, so it is not trained on twice.
            if (ImplicitPrompt.sharedMessages(chosen.messages(), rejected.messages()) > 0) {
                return ImplicitPrompt.ofMessages(chosen.messages(), rejected.messages());
            }
            return new ImplicitPrompt.Split(new Segment.Chat(List.of(new Message("user", text))), chosen, rejected);
        }
        return new ImplicitPrompt.Split(format.segment(row, PROMPT), chosen, rejected);
    }
}
