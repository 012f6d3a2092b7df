package dev.prefalign.trainer.data;

import java.util.List;

/**
 * An SFT row in TRL's formats: {@code prompt}/{@code completion} (text or message lists), {@code messages} (a
 * conversation whose last assistant message is the completion) or {@code text} (plain language modelling).
 */
final class SftRowParser implements RowParser<SftExample> {

    private static final String PROMPT = "prompt";
    private static final String COMPLETION = "completion";
    private static final String MESSAGES = "messages";
    private static final String TEXT = "text";

    @Override
    public DatasetFormat detect(RowColumns row) throws InvalidRowException {
        if (row.has(COMPLETION)) {
            Object completion = row.value(COMPLETION);
            if (completion instanceof String) {
                return DatasetFormat.STANDARD;
            }
            if (completion instanceof List<?>) {
                return DatasetFormat.CONVERSATIONAL;
            }
            throw new InvalidRowException(COMPLETION, "expected text or a list of messages [{role, content}] but"
                    + " found " + ValueTypes.describe(completion));
        }
        if (row.has(MESSAGES)) {
            return DatasetFormat.CONVERSATIONAL;
        }
        if (row.has(TEXT)) {
            return DatasetFormat.STANDARD;
        }
        throw missingColumns(row);
    }

    @Override
    public SftExample parse(RowColumns row, ResolvedFormat format) throws InvalidRowException {
        if (row.has(COMPLETION)) {
            return promptCompletion(row, format);
        }
        if (row.has(MESSAGES)) {
            return conversation(row, format);
        }
        if (row.has(TEXT)) {
            return plainText(row, format);
        }
        throw missingColumns(row);
    }

    private static SftExample promptCompletion(RowColumns row, ResolvedFormat format) throws InvalidRowException {
        Segment completion = format.segment(row, COMPLETION);
        Object promptValue = row.value(PROMPT);
        Segment prompt = format.conversational() && promptValue instanceof String text
                ? new Segment.Chat(List.of(new Message("user", text)))
                : format.segment(row, PROMPT);
        Completions.requireTrainable(COMPLETION, completion);
        return new SftExample(row.origin(), prompt, completion);
    }

    private static SftExample conversation(RowColumns row, ResolvedFormat format) throws InvalidRowException {
        if (!format.conversational()) {
            throw format.mismatch(MESSAGES, row.value(MESSAGES));
        }
        List<Message> messages = row.messages(MESSAGES);
        if (messages.isEmpty()) {
            throw new InvalidRowException(MESSAGES, "the conversation is empty: there is nothing to train on");
        }
        Segment completion = new Segment.Chat(messages.subList(messages.size() - 1, messages.size()));
        Completions.requireTrainable(MESSAGES, completion);
        return new SftExample(row.origin(), new Segment.Chat(messages.subList(0, messages.size() - 1)), completion);
    }

    private static SftExample plainText(RowColumns row, ResolvedFormat format) throws InvalidRowException {
        Segment completion = format.segment(row, TEXT);
        Completions.requireTrainable(TEXT, completion);
        return new SftExample(row.origin(), new Segment.Text(""), completion);
    }

    private static InvalidRowException missingColumns(RowColumns row) {
        return new InvalidRowException(null, "missing columns: an SFT row needs 'prompt' and 'completion', 'messages'"
                + " or 'text' (the row has " + row.columnNames() + ")");
    }
}
