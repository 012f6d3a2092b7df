package dev.prefalign.trainer.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo's preference, checkable by rule: a support assistant should answer a request politely, not rudely. Requests
 * combine an opener with a task; replies are polite or rude templates that mention the task. Held-out prompts use
 * tasks never seen in training, so the learned preference has to generalise beyond memorised prompts.
 */
public final class PolitenessTask {
    static final List<String> OPENERS = List.of("hi ,", "hello ,", "hey ,", "excuse me ,", "good morning ,", "");
    static final List<String> TRAIN_TASKS = List.of("reset my password", "find my order", "book a table",
            "fix the printer", "change my address", "cancel my plan", "update my card", "track the parcel",
            "open an account", "close my account", "return the shoes", "renew my license", "pay the bill",
            "move my meeting", "join the team", "print the report", "unlock the door", "send the invoice",
            "check my balance", "install the app", "restore my files", "clean the desk", "plan the trip",
            "order more paper");
    static final List<String> HELD_OUT_TASKS = List.of("fix my bike", "find the keys", "book a flight",
            "update the app", "pay my rent", "move the desk");
    static final List<String> POLITE = List.of("of course ! i would be happy to help you {task} .",
            "sure , let me help you {task} right away .", "certainly ! i am glad to help you {task} today .");
    static final List<String> RUDE = List.of("no . {task} yourself .", "why should i help you {task} ? go away .",
            "not my problem . figure out how to {task} on your own .");
    private static final Set<String> POLITE_MARKERS = Set.of("happy", "sure", "certainly", "glad", "course");
    // Not "away": the polite "right away" has it too; "go away" is caught by the "why" of its template.
    private static final Set<String> RUDE_MARKERS = Set.of("no", "yourself", "problem", "own", "why");

    private PolitenessTask() {
    }

    /** A user request and the task it names. */
    public record Request(String text, String task) {
    }

    public static List<Request> requests(List<String> tasks) {
        List<Request> out = new ArrayList<>();
        for (String task : tasks) {
            for (String opener : OPENERS) {
                out.add(new Request((opener.isEmpty() ? "" : opener + " ") + "can you help me " + task + " ?", task));
            }
        }
        return out;
    }

    public static String reply(List<String> templates, String task, SplittableRandom random) {
        return templates.get(random.nextInt(templates.size())).replace("{task}", task);
    }

    /** The rule: polite markers and no rude ones. An empty or garbled reply is not polite. */
    public static boolean isPolite(String reply) {
        boolean polite = false;
        for (String word : reply.toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
            if (RUDE_MARKERS.contains(word)) {
                return false;
            }
            polite |= POLITE_MARKERS.contains(word);
        }
        return polite;
    }

    /** Every word the task can produce, for the demo tokenizer's vocabulary. */
    public static Set<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>(List.of("user", "assistant", "system", "can", "you", "help", "me",
                "?"));
        List<String> texts = new ArrayList<>(OPENERS);
        texts.addAll(TRAIN_TASKS);
        texts.addAll(HELD_OUT_TASKS);
        texts.addAll(POLITE);
        texts.addAll(RUDE);
        for (String t : texts) {
            for (String w : t.replace("{task}", "").split("\\s+")) {
                if (!w.isBlank()) {
                    words.add(w);
                }
            }
        }
        return words;
    }
}
