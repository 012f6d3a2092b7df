package dev.prefalign.api.manifest;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt field names and enum values. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate most likely meant: one that the written name abbreviates (evalSteps for evalEverySteps) ranks
     * before one within a few edits (beat for beta); nothing when no candidate is close.
     */
    static Optional<String> closest(String written, Collection<String> candidates) {
        String w = written.toLowerCase(Locale.ROOT);
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(w, c);
            boolean abbreviation = isAbbreviation(w, c) || isAbbreviation(c, w);
            if (!abbreviation && distance > allowedEdits(w.length())) {
                continue;
            }
            int rank = (abbreviation ? 0 : 1_000) + distance;
            if (rank < bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    /** short's letters appear in order in longer, starting with the same letter (lr, learnRate -> learningRate). */
    private static boolean isAbbreviation(String shorter, String longer) {
        if (shorter.length() < 2 || shorter.length() >= longer.length() || shorter.charAt(0) != longer.charAt(0)) {
            return false;
        }
        int i = 0;
        for (int j = 0; j < longer.length() && i < shorter.length(); j++) {
            if (shorter.charAt(i) == longer.charAt(j)) {
                i++;
            }
        }
        return i == shorter.length();
    }

    private static int allowedEdits(int length) {
        return length <= 3 ? 1 : length <= 6 ? 2 : 3;
    }

    /** Optimal string alignment distance: Levenshtein plus transposition of neighbours (beat -> beta is one edit). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
