package dev.prefalign.trainer.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.InvalidRows;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.data.TestFiles;
import dev.prefalign.trainer.demo.TinyModelFactory;
import dev.prefalign.trainer.model.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;

/**
 * Tiny stand-ins for the sources an example names: a model of the right family, and data in the layout its real
 * source has (for a Hub dataset, the files and columns of that repository), so the example trains as written.
 */
final class StandIns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TinyModelFactory.Shape SHAPE = new TinyModelFactory.Shape(32, 64, 2, 4, 2, true);

    /** A user question, a good answer and a bad one; every example's data is drawn from these. */
    private record Exchange(String question, String good, String bad) {
    }

    private static final List<Exchange> EXCHANGES = List.of(
            new Exchange("what is the capital of france", "the capital of france is paris", "i do not know"),
            new Exchange("please say thank you in french", "thank you is merci in french", "no"),
            new Exchange("how many legs does a cat have", "a cat has four legs", "a cat has nine legs"),
            new Exchange("what colour is the sky on a clear day", "the sky is blue on a clear day", "green"),
            new Exchange("can you help me write a polite email", "of course here is a polite email",
                    "write it yourself"),
            new Exchange("what is two plus two", "two plus two is four", "two plus two is five"),
            new Exchange("name a fruit that is yellow", "a banana is yellow", "a tomato is yellow"),
            new Exchange("how do i undo my last commit", "run git reset soft head one", "delete the folder"));

    private static final int TRAIN_ROWS = 6;

    /** Every word of the stand-in data and chat template, so the WordLevel tokenizer needs no unknown token. */
    static final List<String> WORDS = words();

    /** Hub dataset repositories the examples use, and how to write each one's layout. */
    private static final Map<String, HubDataset> HUB_DATASETS = Map.of(
            "trl-lib/ultrafeedback_binarized", StandIns::ultrafeedbackBinarized,
            "trl-lib/Capybara", StandIns::capybara);

    @FunctionalInterface
    private interface HubDataset {
        void write(Path snapshot) throws IOException;
    }

    private StandIns() {
    }

    /** Writes a tiny model of the source's family into {@code dir}; Qwen repositories get Qwen2 (q/k/v biases). */
    static Path model(Path dir, String source) throws IOException {
        return TinyModelFactory.write(dir, WORDS, SHAPE, source.hashCode(), architectureOf(source));
    }

    static Architecture architectureOf(String source) {
        String name = source.toLowerCase(Locale.ROOT);
        if (name.contains("qwen")) {
            return Architecture.QWEN2;
        }
        return name.contains("mistral") ? Architecture.MISTRAL : Architecture.LLAMA;
    }

    /** Writes the Hub repository's files into its snapshot folder; a repository with no known layout fails. */
    static void hubDataset(Path snapshot, String source) throws IOException {
        String repo = source.substring("hf://datasets/".length()).replaceFirst("@.*$", "");
        HubDataset layout = HUB_DATASETS.get(repo);
        if (layout == null) {
            throw new AssertionError("no stand-in for the Hub dataset " + repo + ": add its file layout and columns to "
                    + StandIns.class.getSimpleName() + ".HUB_DATASETS (known: " + HUB_DATASETS.keySet() + ")");
        }
        layout.write(snapshot);
    }

    /**
     * The user's own JSON Lines: a folder gets {@code <split>.jsonl} (and {@code <evalSplit>.jsonl}), a file path gets
     * that file. With {@code invalidRows: skip}, a malformed line and an unusable pair are mixed in, which must be left
     * out without stopping the run.
     */
    static void ownJsonl(Path target, Method method, DatasetSpec dataset) throws IOException {
        boolean withInvalid = dataset.getInvalidRows() == InvalidRows.SKIP;
        if (Stream.of(".jsonl", ".json", ".parquet").anyMatch(target.toString()::endsWith)) {
            if (!target.toString().endsWith(".jsonl")) {
                throw new AssertionError("stand-ins for own data are written as .jsonl; " + target + " is another type");
            }
            writeLines(target, jsonl(method, EXCHANGES, withInvalid));
            return;
        }
        writeLines(target.resolve(dataset.getSplit() + ".jsonl"), jsonl(method, train(), withInvalid));
        if (dataset.getEvalSplit() != null) {
            writeLines(target.resolve(dataset.getEvalSplit() + ".jsonl"), jsonl(method, test(), false));
        }
    }

    /** trl-lib/ultrafeedback_binarized: conversations that share the user turn (implicit prompt), plus scores. */
    private static void ultrafeedbackBinarized(Path snapshot) throws IOException {
        MessageType schema = TestFiles.schema(TestFiles.messagesColumn("chosen"), TestFiles.messagesColumn("rejected"),
                TestFiles.doubleColumn("score_chosen"), TestFiles.doubleColumn("score_rejected"));
        SimpleGroupFactory rows = TestFiles.rows(schema);
        for (Map.Entry<String, List<Exchange>> split : splits().entrySet()) {
            List<Group> groups = new ArrayList<>();
            for (Exchange e : split.getValue()) {
                Group row = rows.newGroup();
                TestFiles.addMessages(row, "chosen", user(e.question()), assistant(e.good()));
                TestFiles.addMessages(row, "rejected", user(e.question()), assistant(e.bad()));
                groups.add(row.append("score_chosen", 8.5).append("score_rejected", 3.0));
            }
            TestFiles.writeParquet(snapshot.resolve("data/" + split.getKey() + "-00000-of-00001.parquet"), schema,
                    groups);
        }
    }

    /** trl-lib/Capybara: multi-turn {@code messages} conversations. */
    private static void capybara(Path snapshot) throws IOException {
        MessageType schema = TestFiles.schema(TestFiles.messagesColumn("messages"));
        SimpleGroupFactory rows = TestFiles.rows(schema);
        for (Map.Entry<String, List<Exchange>> split : splits().entrySet()) {
            List<Group> groups = new ArrayList<>();
            List<Exchange> exchanges = split.getValue();
            for (int i = 0; i < exchanges.size(); i++) {
                Exchange first = exchanges.get(i);
                Exchange second = exchanges.get((i + 1) % exchanges.size());
                groups.add(TestFiles.addMessages(rows.newGroup(), "messages", user(first.question()),
                        assistant(first.good()), user(second.question()), assistant(second.good())));
            }
            TestFiles.writeParquet(snapshot.resolve("data/" + split.getKey() + "-00000-of-00001.parquet"), schema,
                    groups);
        }
    }

    private static List<String> jsonl(Method method, List<Exchange> exchanges, boolean withInvalid) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Exchange e : exchanges) {
            Map<String, Object> row = new LinkedHashMap<>();
            if (method == Method.SFT) {
                row.put("messages", List.of(user(e.question()), assistant(e.good())));
            } else {
                row.put("prompt", e.question());
                row.put("chosen", e.good());
                row.put("rejected", e.bad());
            }
            lines.add(JSON.writeValueAsString(row));
            if (withInvalid && lines.size() == 2) {
                lines.add("{\"prompt\": \"cut off here");
                lines.add(JSON.writeValueAsString(Map.of("prompt", e.question(), "chosen", e.good(),
                        "rejected", e.good())));
            }
        }
        return lines;
    }

    private static Map<String, List<Exchange>> splits() {
        Map<String, List<Exchange>> splits = new LinkedHashMap<>();
        splits.put("train", train());
        splits.put("test", test());
        return splits;
    }

    private static List<Exchange> train() {
        return EXCHANGES.subList(0, TRAIN_ROWS);
    }

    private static List<Exchange> test() {
        return EXCHANGES.subList(TRAIN_ROWS, EXCHANGES.size());
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }

    private static Message user(String content) {
        return new Message("user", content);
    }

    private static Message assistant(String content) {
        return new Message("assistant", content);
    }

    private static List<String> words() {
        Set<String> words = new LinkedHashSet<>(List.of("system", "user", "assistant"));
        for (Exchange e : EXCHANGES) {
            for (String text : List.of(e.question(), e.good(), e.bad())) {
                words.addAll(List.of(text.split(" ")));
            }
        }
        return List.copyOf(words);
    }
}
