package dev.prefalign.trainer.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * How often one model's replies beat another's under a judge, over the same prompts. The rate counts a tie as half a
 * win (as AlpacaEval does), so 0.5 means "no better, no worse".
 */
public record WinRate(String model, String against, String judge, int wins, int ties, int losses) {

    public int prompts() {
        return wins + ties + losses;
    }

    public double rate() {
        return prompts() == 0 ? Double.NaN : (wins + 0.5 * ties) / prompts();
    }

    /**
     * Judges each prompt's two replies.
     *
     * @throws IllegalArgumentException when the two lists are not replies to the same prompts
     */
    public static WinRate of(Judge judge, String model, List<Generation> replies, String against,
            List<Generation> otherReplies) {
        if (replies.size() != otherReplies.size()) {
            throw new IllegalArgumentException(model + " has " + replies.size() + " replies but " + against + " has "
                    + otherReplies.size() + "; win rates need replies to the same prompts");
        }
        List<EvalPrompt> prompts = new ArrayList<>();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            Generation a = replies.get(i);
            Generation b = otherReplies.get(i);
            if (!a.prompt().equals(b.prompt())) {
                throw new IllegalArgumentException("reply " + (i + 1) + " of " + model + " and of " + against
                        + " answer different prompts; win rates need replies to the same prompts");
            }
            prompts.add(a.context());
            first.add(a.reply());
            second.add(b.reply());
        }
        int wins = 0;
        int ties = 0;
        int losses = 0;
        for (Verdict verdict : judge.compareAll(prompts, first, second)) {
            switch (verdict) {
                case FIRST -> wins++;
                case SECOND -> losses++;
                case TIE -> ties++;
            }
        }
        return new WinRate(model, against, judge.name(), wins, ties, losses);
    }
}
