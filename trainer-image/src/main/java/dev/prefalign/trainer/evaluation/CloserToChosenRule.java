package dev.prefalign.trainer.evaluation;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A rule the data defines: the reply shares more words with the pair's chosen completion than with its rejected one
 * (Jaccard similarity of lower-cased word sets). It needs no knowledge of the task, only pairs whose two completions
 * differ in wording; a prompt without a pair never passes.
 */
public final class CloserToChosenRule implements ReplyRule {
    public static final String NAME = "closer-to-chosen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reply's words overlap more with the chosen completion than with the rejected one (Jaccard)";
    }

    @Override
    public boolean passes(EvalPrompt prompt, String reply) {
        if (!prompt.hasPair()) {
            return false;
        }
        Set<String> words = words(reply);
        return jaccard(words, words(prompt.chosen())) > jaccard(words, words(prompt.rejected()));
    }

    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return common.size() / (double) (a.size() + b.size() - common.size());
    }
}
