package dev.prefalign.trainer.evaluation.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.tokenizer.ChatTemplate;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores replies with a reward model folder the way TRL's reward trainer and RewardBench feed one: the conversation
 * [user: prompt, assistant: reply] rendered with the reward model's own chat template (no generation prompt),
 * tokenized with its own tokenizer without adding special tokens (the template writes them, as
 * {@code apply_chat_template(tokenize=True)} does), and scored by the {@link SequenceClassifier}.
 *
 * <p>A conversation longer than {@code maxLength} tokens keeps its last {@code maxLength} tokens: the score is read at
 * the last token, so the reply and the template's closing tokens must stay; the start of a long prompt goes. Rewards
 * are cached per (prompt, reply), so a reply judged against several others is scored once.
 */
public final class RewardModel implements AutoCloseable {
    /** Conversations per forward pass, sorted by length so that a batch pads little. */
    static final int BATCH = 8;

    private final Path dir;
    private final NDManager manager;
    private final SequenceClassifier classifier;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxLength;
    private final Map<Exchange, Double> cache = new HashMap<>();
    private int forwardPasses;

    /** One reply to one prompt. */
    public record Exchange(String prompt, String reply) {
        public Exchange {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(reply, "reply");
        }
    }

    private RewardModel(Path dir, NDManager manager, SequenceClassifier classifier, TextTokenizer tokenizer,
            ChatTemplate template, int maxLength) {
        this.dir = dir;
        this.manager = manager;
        this.classifier = classifier;
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxLength = maxLength;
    }

    /**
     * Loads the folder on the CPU.
     *
     * @param maxLength the longest conversation scored, in tokens; at most the model's max_position_embeddings
     * @throws IOException when the folder is not a one-label sequence classifier with its tokenizer files and a chat
     *     template
     */
    public static RewardModel load(Path dir, int maxLength) throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, not " + maxLength);
        }
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        TextTokenizer tokenizer = null;
        SequenceClassifier classifier = null;
        try {
            tokenizer = TextTokenizer.load(dir);
            ChatTemplate template = tokenizer.chatTemplate().orElseThrow(() -> new IOException(
                    dir.resolve("tokenizer_config.json") + " has no chat_template; a reward model scores a "
                            + "conversation in the format it was trained on, so its folder needs its chat template"));
            classifier = SequenceClassifier.load(dir, manager);
            int limit = Math.min(maxLength, classifier.config().decoder().maxPositionEmbeddings());
            return new RewardModel(dir, manager, classifier, tokenizer, template, limit);
        } catch (IOException | RuntimeException e) {
            if (classifier != null) {
                classifier.close();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public int maxLength() {
        return maxLength;
    }

    /** How many forward passes scored something (a cached reward costs none). */
    public int forwardPasses() {
        return forwardPasses;
    }

    /** The token ids scored for one exchange: the rendered conversation, its last {@code maxLength} tokens. */
    public int[] tokens(Exchange exchange) {
        String text = template.render(List.of(new Message("user", exchange.prompt()),
                new Message("assistant", exchange.reply())), false);
        int[] ids = tokenizer.encode(text, false);
        return ids.length <= maxLength ? ids : Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }

    public double reward(Exchange exchange) {
        return rewards(List.of(exchange))[0];
    }

    /** One reward per exchange, in order; those not cached yet are scored in batches of similar length. */
    public synchronized double[] rewards(List<Exchange> exchanges) {
        List<Exchange> missing = exchanges.stream().filter(e -> !cache.containsKey(e)).distinct().toList();
        List<int[]> tokens = new ArrayList<>(missing.size());
        for (Exchange e : missing) {
            tokens.add(tokens(e));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> tokens.get(i).length));
        for (int from = 0; from < order.size(); from += BATCH) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
            float[] scores = classifier.scores(batch.stream().map(tokens::get).toList());
            forwardPasses++;
            for (int k = 0; k < batch.size(); k++) {
                cache.put(missing.get(batch.get(k)), (double) scores[k]);
            }
        }
        double[] out = new double[exchanges.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cache.get(exchanges.get(i));
        }
        return out;
    }

    @Override
    public void close() {
        classifier.close();
        tokenizer.close();
        manager.close();
    }
}
