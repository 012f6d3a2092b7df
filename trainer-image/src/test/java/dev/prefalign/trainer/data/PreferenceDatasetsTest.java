package dev.prefalign.trainer.data;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.prefalign.trainer.data.TestFiles.assistant;
import static dev.prefalign.trainer.data.TestFiles.system;
import static dev.prefalign.trainer.data.TestFiles.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreferenceDatasetsTest {

    private static final String STANDARD_ROW = q("{'prompt': 'p', 'chosen': 'a', 'rejected': 'b'}");
    private static final String CONVERSATIONAL_ROW = q("{'prompt': [{'role': 'user', 'content': 'q'}],"
            + " 'chosen': [{'role': 'assistant', 'content': 'a'}], 'rejected': [{'role': 'assistant', 'content': 'b'}]}");

    @TempDir
    Path dir;

    /** JSON with single quotes, to keep the rows readable here. */
    private static String q(String json) {
        return json.replace('\'', '"');
    }

    private static Segment.Text text(String text) {
        return new Segment.Text(text);
    }

    private static Segment.Chat chat(Message... messages) {
        return new Segment.Chat(List.of(messages));
    }

    private DatasetReadResult<PreferenceExample> read(Path source, DatasetFormat format, InvalidRowPolicy policy,
            int maxSamples) throws DatasetException {
        return PreferenceDatasets.read(source, "train", format, policy, maxSamples);
    }

    private DatasetReadResult<PreferenceExample> readAuto(Path source) throws DatasetException {
        return read(source, DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0);
    }

    @Test
    void standardRowsBecomeTextSegments() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"),
                q("{'prompt': 'What is 2+2?', 'chosen': '4', 'rejected': '5', 'score': 1}"), "",
                q("{'prompt': 'Capital of France?', 'chosen': 'Paris', 'rejected': 'Lyon'}"));

        DatasetReadResult<PreferenceExample> result = readAuto(file);

        assertThat(result.examples()).containsExactly(
                new PreferenceExample("prefs.jsonl:line 1", text("What is 2+2?"), text("4"), text("5")),
                new PreferenceExample("prefs.jsonl:line 3", text("Capital of France?"), text("Paris"), text("Lyon")));
        assertThat(result.skippedRows()).isZero();
        assertThat(result.skipReasons()).isEmpty();
    }

    @Test
    void implicitTextPromptIsTheCommonPrefixWithTheSpaceMovedToTheCompletions() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"),
                q("{'chosen': 'The capital of France is Paris.', 'rejected': 'The capital of France is Lyon.'}"),
                q("{'chosen': 'Q: 2+2=4', 'rejected': 'Q: 2+2=5'}"));

        List<PreferenceExample> examples = readAuto(file).examples();

        assertThat(examples.get(0)).isEqualTo(new PreferenceExample("prefs.jsonl:line 1",
                text("The capital of France is"), text(" Paris."), text(" Lyon.")));
        assertThat(examples.get(1)).isEqualTo(new PreferenceExample("prefs.jsonl:line 2",
                text("Q: 2+2="), text("4"), text("5")));
    }

    @Test
    void implicitTextPromptNeverSplitsASurrogatePair() throws Exception {
        // U+1F600 and U+1F601 share their high surrogate.
        ImplicitPrompt.Split split = ImplicitPrompt.ofText("Mood: \uD83D\uDE00", "Mood: \uD83D\uDE01");

        assertThat(split.prompt()).isEqualTo(text("Mood:"));
        assertThat(split.chosen()).isEqualTo(text(" \uD83D\uDE00"));
    }

    @Test
    void conversationalRowsWithAPromptColumn() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"), CONVERSATIONAL_ROW);

        assertThat(readAuto(file).examples()).containsExactly(new PreferenceExample("prefs.jsonl:line 1",
                chat(user("q")), chat(assistant("a")), chat(assistant("b"))));
    }

    @Test
    void implicitConversationalPromptAsInUltrafeedbackBinarized() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"), q("{"
                + "'chosen': [{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Hi'},"
                + " {'role': 'assistant', 'content': 'Hello!'}],"
                + "'rejected': [{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Hi'},"
                + " {'role': 'assistant', 'content': 'Go away.'}], 'score_chosen': 8.0}"));

        assertThat(readAuto(file).examples()).containsExactly(new PreferenceExample("prefs.jsonl:line 1",
                chat(system("Be brief."), user("Hi")), chat(assistant("Hello!")), chat(assistant("Go away."))));
    }

    @Test
    void textPromptWithMessageListsBecomesAUserMessage() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"), q("{'prompt': 'Hi',"
                + " 'chosen': [{'role': 'assistant', 'content': 'Hello!'}],"
                + " 'rejected': [{'role': 'assistant', 'content': 'Go away.'}]}"));

        assertThat(readAuto(file).examples()).containsExactly(new PreferenceExample("prefs.jsonl:line 1",
                chat(user("Hi")), chat(assistant("Hello!")), chat(assistant("Go away."))));
    }

    @Test
    void textPromptNextToWholeConversationsTakesThePromptFromThem() throws Exception {
        // HuggingFaceH4/ultrafeedback_binarized: the prompt column repeats the conversations' first user message.
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"), q("{'prompt': 'Hi',"
                + " 'chosen': [{'role': 'user', 'content': 'Hi'}, {'role': 'assistant', 'content': 'Hello!'}],"
                + " 'rejected': [{'role': 'user', 'content': 'Hi'}, {'role': 'assistant', 'content': 'Go away.'}]}"));

        assertThat(readAuto(file).examples()).containsExactly(new PreferenceExample("prefs.jsonl:line 1",
                chat(user("Hi")), chat(assistant("Hello!")), chat(assistant("Go away."))));
    }

    @Test
    void autoDetectsTheFormatFromTheFirstValidRowAndHoldsTheRestToIt() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"),
                q("{'prompt': 'p', 'chosen': 3, 'rejected': 'b'}"), CONVERSATIONAL_ROW, STANDARD_ROW, CONVERSATIONAL_ROW);

        DatasetReadResult<PreferenceExample> result = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);

        assertThat(result.examples()).extracting(PreferenceExample::origin)
                .containsExactly("prefs.jsonl:line 2", "prefs.jsonl:line 4");
        assertThat(result.skippedRows()).isEqualTo(2);
        assertThat(result.skipReasons()).containsExactly(
                "prefs.jsonl:line 1: field 'chosen': expected text or a list of messages [{role, content}] but found"
                        + " a number (3)",
                "prefs.jsonl:line 3: field 'chosen': expected a list of messages [{role, content}] (conversational"
                        + " format, detected from prefs.jsonl:line 2) but found text; if the dataset holds text, set"
                        + " dataset.format to standard or auto");
    }

    @Test
    void forcedFormatsRejectRowsOfTheOtherFormat() throws Exception {
        Path conversational = TestFiles.write(dir.resolve("conversational.jsonl"), CONVERSATIONAL_ROW);
        Path standard = TestFiles.write(dir.resolve("standard.jsonl"), STANDARD_ROW);

        assertThatThrownBy(() -> read(conversational, DatasetFormat.STANDARD, InvalidRowPolicy.FAIL, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("conversational.jsonl:line 1: field 'chosen': expected text (standard format,"
                        + " set by dataset.format) but found a list");
        assertThatThrownBy(() -> read(standard, DatasetFormat.CONVERSATIONAL, InvalidRowPolicy.FAIL, 0))
                .hasMessageContaining("standard.jsonl:line 1: field 'chosen': expected a list of messages");
        assertThat(read(conversational, DatasetFormat.CONVERSATIONAL, InvalidRowPolicy.FAIL, 0).examples()).hasSize(1);
        assertThat(read(standard, DatasetFormat.STANDARD, InvalidRowPolicy.FAIL, 0).examples()).hasSize(1);
    }

    static Stream<Arguments> invalidRows() {
        String conversationalPrompt = "'prompt': [{'role': 'user', 'content': 'q'}]";
        return Stream.of(
                Arguments.of("missing column", STANDARD_ROW, q("{'prompt': 'p', 'chosen': 'a'}"),
                        "field 'rejected': missing column (the row has [prompt, chosen])"),
                Arguments.of("number instead of text", STANDARD_ROW, q("{'prompt': 'p', 'chosen': 'a', 'rejected': 5}"),
                        "field 'rejected': expected text (standard format, detected from bad.jsonl:line 1) but found"
                                + " a number (5)"),
                Arguments.of("number as prompt", STANDARD_ROW, q("{'prompt': 7, 'chosen': 'a', 'rejected': 'b'}"),
                        "field 'prompt': expected text"),
                Arguments.of("null value", STANDARD_ROW, q("{'prompt': 'p', 'chosen': null, 'rejected': 'b'}"),
                        "field 'chosen': is null"),
                Arguments.of("message without role", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'content': 'a'}], 'rejected': [{'role': 'assistant', 'content': 'b'}]}"),
                        "field 'chosen': message 1 has no 'role'"),
                Arguments.of("message without content", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'role': 'assistant', 'content': 'a'}], 'rejected': [{'role': 'assistant'}]}"),
                        "field 'rejected': message 1 has no 'content'"),
                Arguments.of("unknown role", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'role': 'bot', 'content': 'a'}], 'rejected': [{'role': 'assistant', 'content': 'b'}]}"),
                        "field 'chosen': message 1 has the unknown role 'bot': use system, user, assistant or tool"),
                Arguments.of("content that is no text", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'role': 'assistant', 'content': ['a']}], 'rejected': [{'role': 'assistant', 'content': 'b'}]}"),
                        "field 'chosen': message 1: 'content' must be text but is a list"),
                Arguments.of("message that is no object", CONVERSATIONAL_ROW, q("{'prompt': ['q'],"
                                + " 'chosen': [{'role': 'assistant', 'content': 'a'}], 'rejected': [{'role': 'assistant', 'content': 'b'}]}"),
                        "field 'prompt': message 1 is text, expected an object with 'role' and 'content'"),
                Arguments.of("empty chosen", STANDARD_ROW, q("{'prompt': 'p', 'chosen': '', 'rejected': 'b'}"),
                        "field 'chosen': the completion is empty"),
                Arguments.of("empty rejected conversation", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'role': 'assistant', 'content': 'a'}], 'rejected': []}"),
                        "field 'rejected': the completion is empty"),
                Arguments.of("implicit prompt leaving an empty completion", STANDARD_ROW,
                        q("{'chosen': 'Paris', 'rejected': 'Paris is nice'}"),
                        "field 'chosen': the completion is empty"),
                Arguments.of("completion ending with the user", CONVERSATIONAL_ROW, q("{" + conversationalPrompt
                                + ", 'chosen': [{'role': 'assistant', 'content': 'a'}, {'role': 'user', 'content': 'more?'}],"
                                + " 'rejected': [{'role': 'assistant', 'content': 'b'}]}"),
                        "field 'chosen': the completion's last message is from 'user', not the assistant"),
                Arguments.of("identical completions", STANDARD_ROW, q("{'prompt': 'p', 'chosen': 'a', 'rejected': 'a'}"),
                        "field 'rejected': identical to 'chosen'"),
                Arguments.of("identical conversations", CONVERSATIONAL_ROW, q("{"
                                + "'chosen': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}],"
                                + " 'rejected': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}]}"),
                        "field 'rejected': identical to 'chosen'"),
                Arguments.of("no common prefix", STANDARD_ROW, q("{'chosen': 'yes', 'rejected': 'no'}"),
                        "field 'chosen': there is no 'prompt' column and chosen and rejected start differently"),
                Arguments.of("no shared message", CONVERSATIONAL_ROW, q("{"
                                + "'chosen': [{'role': 'user', 'content': 'q1'}, {'role': 'assistant', 'content': 'a'}],"
                                + " 'rejected': [{'role': 'user', 'content': 'q2'}, {'role': 'assistant', 'content': 'b'}]}"),
                        "share no leading message"),
                Arguments.of("malformed JSON", STANDARD_ROW, "{\"prompt\": \"p\", \"chosen\": \"a\",",
                        "bad.jsonl:line 2: malformed JSON at column 31: Unexpected end-of-input"),
                Arguments.of("JSON line that is no object", STANDARD_ROW, "[\"p\", \"a\", \"b\"]",
                        "bad.jsonl:line 2: expected a JSON object, found a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void invalidRowFailsWithFileRowAndField(String kind, String validRow, String badRow, String expected)
            throws Exception {
        Path file = TestFiles.write(dir.resolve("bad.jsonl"), validRow, badRow, validRow);

        assertThatThrownBy(() -> readAuto(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Invalid row at bad.jsonl:line 2: ")
                .hasMessageContaining(expected)
                .hasMessageContaining("(dataset " + file + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void invalidRowIsCountedUnderSkip(String kind, String validRow, String badRow, String expected) throws Exception {
        Path file = TestFiles.write(dir.resolve("bad.jsonl"), validRow, badRow, validRow);

        DatasetReadResult<PreferenceExample> result = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);

        assertThat(result.examples()).extracting(PreferenceExample::origin)
                .containsExactly("bad.jsonl:line 1", "bad.jsonl:line 3");
        assertThat(result.skippedRows()).isEqualTo(1);
        assertThat(result.skipReasons()).singleElement().asString()
                .startsWith("bad.jsonl:line 2: ").contains(expected);
    }

    @Test
    void maxSamplesKeepsTheFirstValidExamplesAndStopsReading() throws Exception {
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"),
                STANDARD_ROW, q("{'prompt': 'p'}"), STANDARD_ROW, STANDARD_ROW, "not json at all");

        DatasetReadResult<PreferenceExample> two = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 2);
        assertThat(two.examples()).extracting(PreferenceExample::origin)
                .containsExactly("prefs.jsonl:line 1", "prefs.jsonl:line 3");
        assertThat(two.skippedRows()).isEqualTo(1);

        // The malformed last line is never reached, so FAIL does not fire.
        assertThat(read(file, DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 1).examples()).hasSize(1);

        DatasetReadResult<PreferenceExample> all = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);
        assertThat(all.examples()).hasSize(3);
        assertThat(all.skippedRows()).isEqualTo(2);

        assertThatThrownBy(() -> read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void skipKeepsTheFirstTwentyReasonsButCountsAll() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(STANDARD_ROW);
        for (int i = 0; i < 25; i++) {
            lines.add(q("{'prompt': 'p', 'chosen': 'same', 'rejected': 'same'}"));
        }
        Path file = TestFiles.write(dir.resolve("prefs.jsonl"), lines.toArray(String[]::new));

        DatasetReadResult<PreferenceExample> result = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);

        assertThat(result.examples()).hasSize(1);
        assertThat(result.skippedRows()).isEqualTo(25);
        assertThat(result.skipReasons()).hasSize(DatasetReadResult.MAX_SKIP_REASONS);
        assertThat(result.skipReasons().get(19)).startsWith("prefs.jsonl:line 21: field 'rejected': identical");
    }

    @Test
    void parquetFolderWithConversationsLikeTheHub() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.textColumn("prompt"), TestFiles.messagesColumn("chosen"),
                TestFiles.messagesColumn("rejected"), "optional double score_chosen;");
        SimpleGroupFactory rows = TestFiles.rows(schema);
        Group first = rows.newGroup().append("prompt", "Hi").append("score_chosen", 9.0);
        TestFiles.addMessages(first, "chosen", user("Hi"), assistant("Hello!"));
        TestFiles.addMessages(first, "rejected", user("Hi"), assistant("Go away."));
        Group second = rows.newGroup().append("prompt", "2+2?");
        TestFiles.addMessages(second, "chosen", user("2+2?"), assistant("4"));
        TestFiles.addMessages(second, "rejected", user("2+2?"), assistant("5"));
        Group other = rows.newGroup().append("prompt", "unused");
        TestFiles.addMessages(other, "chosen", user("x"), assistant("y"));
        TestFiles.addMessages(other, "rejected", user("x"), assistant("z"));
        TestFiles.writeParquet(dir.resolve("data/train_prefs-00001-of-00002.parquet"), schema, List.of(second));
        TestFiles.writeParquet(dir.resolve("data/train_prefs-00000-of-00002.parquet"), schema, List.of(first));
        TestFiles.writeParquet(dir.resolve("data/test_prefs-00000-of-00001.parquet"), schema, List.of(other));

        DatasetReadResult<PreferenceExample> result =
                PreferenceDatasets.read(dir, "train_prefs", DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0);

        assertThat(result.examples()).containsExactly(
                new PreferenceExample("data/train_prefs-00000-of-00002.parquet:row 1", chat(user("Hi")),
                        chat(assistant("Hello!")), chat(assistant("Go away."))),
                new PreferenceExample("data/train_prefs-00001-of-00002.parquet:row 1", chat(user("2+2?")),
                        chat(assistant("4")), chat(assistant("5"))));
    }

    @Test
    void parquetWithoutPromptColumnAndAnInvalidRow() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.messagesColumn("chosen"), TestFiles.messagesColumn("rejected"));
        SimpleGroupFactory rows = TestFiles.rows(schema);
        Group valid = rows.newGroup();
        TestFiles.addMessages(valid, "chosen", user("Hi"), assistant("Hello!"));
        TestFiles.addMessages(valid, "rejected", user("Hi"), assistant("Go away."));
        Group badRole = rows.newGroup();
        TestFiles.addMessages(badRole, "chosen", user("Hi"), new Message("narrator", "Hello!"));
        TestFiles.addMessages(badRole, "rejected", user("Hi"), assistant("Go away."));
        Path file = TestFiles.writeParquet(dir.resolve("prefs.parquet"), schema, List.of(valid, badRole));

        assertThatThrownBy(() -> readAuto(file)).hasMessageStartingWith(
                "Invalid row at prefs.parquet:row 2: field 'chosen': message 2 has the unknown role 'narrator'");
        DatasetReadResult<PreferenceExample> skipped = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);
        assertThat(skipped.examples()).containsExactly(new PreferenceExample("prefs.parquet:row 1",
                chat(user("Hi")), chat(assistant("Hello!")), chat(assistant("Go away."))));
        assertThat(skipped.skippedRows()).isEqualTo(1);
    }

    @Test
    void jsonFileAndJsonlFolderSplits() throws Exception {
        TestFiles.write(dir.resolve("train.json"), q("{'data': [{'prompt': 'p', 'chosen': 'a', 'rejected': 'b'}]}"));
        TestFiles.write(dir.resolve("test/part-0.jsonl"), q("{'prompt': 't', 'chosen': 'a', 'rejected': 'b'}"));

        assertThat(PreferenceDatasets.read(dir, "train", DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0).examples())
                .containsExactly(new PreferenceExample("train.json:row 1", text("p"), text("a"), text("b")));
        assertThat(PreferenceDatasets.read(dir, "test", DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0).examples())
                .containsExactly(new PreferenceExample("test/part-0.jsonl:line 1", text("t"), text("a"), text("b")));
        assertThatThrownBy(() -> PreferenceDatasets.read(dir, "validation", DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0))
                .hasMessageContaining("Splits found: test, train");
    }
}
