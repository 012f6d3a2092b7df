package dev.prefalign.trainer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the demo's datasets with a fixed seed: SFT conversations whose replies are polite or rude half the time each
 * (so the warmed-up model has both behaviours), and preference pairs (polite chosen, rude rejected) for training
 * prompts and for held-out prompts with unseen tasks. Conversational format, as in trl-lib/ultrafeedback_binarized.
 */
final class DemoData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoData() {
    }

    static void write(Path dataDir, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<PolitenessTask.Request> train = PolitenessTask.requests(PolitenessTask.TRAIN_TASKS);
        List<PolitenessTask.Request> heldOut = PolitenessTask.requests(PolitenessTask.HELD_OUT_TASKS);
        Files.createDirectories(dataDir.resolve("sft"));
        Files.createDirectories(dataDir.resolve("prefs"));
        try (BufferedWriter out = Files.newBufferedWriter(dataDir.resolve("sft/train.jsonl"))) {
            for (int round = 0; round < 4; round++) {
                for (PolitenessTask.Request r : train) {
                    List<String> style = random.nextBoolean() ? PolitenessTask.POLITE : PolitenessTask.RUDE;
                    ObjectNode row = JSON.createObjectNode();
                    ArrayNode messages = row.putArray("messages");
                    message(messages, "user", r.text());
                    message(messages, "assistant", PolitenessTask.reply(style, r.task(), random));
                    line(out, row);
                }
            }
        }
        writePairs(dataDir.resolve("prefs/train.jsonl"), train, 2, random);
        writePairs(dataDir.resolve("prefs/test.jsonl"), heldOut, 1, random);
    }

    private static void writePairs(Path file, List<PolitenessTask.Request> requests, int rounds,
            SplittableRandom random) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int round = 0; round < rounds; round++) {
                for (PolitenessTask.Request r : requests) {
                    ObjectNode row = JSON.createObjectNode();
                    message(row.putArray("prompt"), "user", r.text());
                    message(row.putArray("chosen"), "assistant",
                            PolitenessTask.reply(PolitenessTask.POLITE, r.task(), random));
                    message(row.putArray("rejected"), "assistant",
                            PolitenessTask.reply(PolitenessTask.RUDE, r.task(), random));
                    line(out, row);
                }
            }
        }
    }

    private static void message(ArrayNode list, String role, String content) {
        ObjectNode m = list.addObject();
        m.put("role", role);
        m.put("content", content);
    }

    private static void line(BufferedWriter out, ObjectNode row) throws IOException {
        out.write(JSON.writeValueAsString(row));
        out.newLine();
    }
}
