package dev.prefalign.trainer.tokens;

import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.data.PreferenceExample;
import dev.prefalign.trainer.data.Segment;
import dev.prefalign.trainer.data.SftExample;
import dev.prefalign.trainer.tokenizer.ChatTemplate;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns examples into token ids as alignment-math.md defines: a text prompt through the tokenizer with its special
 * tokens (its post-processor decides about BOS), a chat prompt rendered with the chat template and the generation
 * prompt (the template adds its own special tokens), each completion as the text that follows the prompt, plus EOS
 * unless it already ends with it; then truncation.
 */
public final class ExampleTokenizer {
    private final TextTokenizer tokenizer;
    private final Truncation truncation;

    public ExampleTokenizer(TextTokenizer tokenizer, Truncation truncation) {
        this.tokenizer = tokenizer;
        this.truncation = truncation;
    }

    public TokenizedPair pair(PreferenceExample e) {
        RenderedPrompt prompt = renderPrompt(e.prompt(), e.origin());
        int[] promptIds = truncation.prompt(prompt.ids());
        int[] chosen = truncation.completion(promptIds, completion(prompt, e.chosen(), e.origin()));
        int[] rejected = truncation.completion(promptIds, completion(prompt, e.rejected(), e.origin()));
        return new TokenizedPair(e.origin(), promptIds, chosen, rejected);
    }

    public TokenizedSequence sequence(SftExample e) {
        RenderedPrompt prompt = renderPrompt(e.prompt(), e.origin());
        int[] promptIds = truncation.prompt(prompt.ids());
        int[] completion = truncation.completion(promptIds, completion(prompt, e.completion(), e.origin()));
        return new TokenizedSequence(e.origin(), promptIds, completion);
    }

    /** The prompt's token ids, and for chats the rendered text and messages that completions continue. */
    private record RenderedPrompt(int[] ids, String text, List<Message> messages) {
    }

    private RenderedPrompt renderPrompt(Segment prompt, String origin) {
        if (prompt instanceof Segment.Text t) {
            return new RenderedPrompt(tokenizer.encode(t.text(), true), t.text(), null);
        }
        List<Message> messages = ((Segment.Chat) prompt).messages();
        String text = messages.isEmpty() ? "" : template(origin).render(messages, true);
        return new RenderedPrompt(tokenizer.encode(text, false), text, messages);
    }

    private int[] completion(RenderedPrompt prompt, Segment completion, String origin) {
        String text;
        if (completion instanceof Segment.Text t) {
            text = t.text();
        } else {
            List<Message> all = new ArrayList<>(prompt.messages() == null
                    ? List.of(new Message("user", prompt.text())) : prompt.messages());
            all.addAll(((Segment.Chat) completion).messages());
            String full = template(origin).render(all, false);
            String promptText = prompt.messages() == null
                    ? template(origin).render(all.subList(0, 1), true) : prompt.text();
            if (!full.startsWith(promptText)) {
                throw new IllegalArgumentException(origin + ": the chat template renders the conversation with a"
                        + " different prefix than the prompt alone, so the completion cannot be separated");
            }
            text = full.substring(promptText.length());
        }
        int[] ids = tokenizer.encode(text, false);
        int eos = tokenizer.eosId();
        if (ids.length > 0 && ids[ids.length - 1] == eos) {
            return ids;
        }
        int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = eos;
        return withEos;
    }

    private ChatTemplate template(String origin) {
        return tokenizer.chatTemplate().orElseThrow(() -> new IllegalArgumentException(origin
                + ": the dataset is conversational but the model's tokenizer_config.json has no chat_template"));
    }

    public List<TokenizedPair> pairs(List<PreferenceExample> examples) {
        return examples.stream().map(this::pair).toList();
    }

    public List<TokenizedSequence> sequences(List<SftExample> examples) {
        return examples.stream().map(this::sequence).toList();
    }
}
