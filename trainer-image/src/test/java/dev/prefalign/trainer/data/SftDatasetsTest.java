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
import java.util.List;
import java.util.stream.Stream;

import static dev.prefalign.trainer.data.TestFiles.assistant;
import static dev.prefalign.trainer.data.TestFiles.system;
import static dev.prefalign.trainer.data.TestFiles.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SftDatasetsTest {

    private static final String PROMPT_COMPLETION_ROW = q("{'prompt': 'p', 'completion': 'c'}");
    private static final String MESSAGES_ROW = q("{'messages': [{'role': 'user', 'content': 'q'},"
            + " {'role': 'assistant', 'content': 'a'}]}");
    private static final String TEXT_ROW = q("{'text': 'Once upon a time'}");

    @TempDir
    Path dir;

    private static String q(String json) {
        return json.replace('\'', '"');
    }

    private static Segment.Text text(String text) {
        return new Segment.Text(text);
    }

    private static Segment.Chat chat(Message... messages) {
        return new Segment.Chat(List.of(messages));
    }

    private DatasetReadResult<SftExample> read(Path source, DatasetFormat format, InvalidRowPolicy policy,
            int maxSamples) throws DatasetException {
        return SftDatasets.read(source, "train", format, policy, maxSamples);
    }

    private List<SftExample> readAuto(Path source) throws DatasetException {
        return read(source, DatasetFormat.AUTO, InvalidRowPolicy.FAIL, 0).examples();
    }

    @Test
    void promptCompletionText() throws Exception {
        Path file = TestFiles.write(dir.resolve("sft.jsonl"), q("{'prompt': 'Say hi.', 'completion': ' Hi!'}"));

        assertThat(readAuto(file)).containsExactly(new SftExample("sft.jsonl:line 1", text("Say hi."), text(" Hi!")));
    }

    @Test
    void promptCompletionMessages() throws Exception {
        Path file = TestFiles.write(dir.resolve("sft.jsonl"),
                q("{'prompt': [{'role': 'system', 'content': 'Be kind.'}, {'role': 'user', 'content': 'Say hi.'}],"
                        + " 'completion': [{'role': 'assistant', 'content': 'Hi!'}]}"),
                q("{'prompt': 'Say bye.', 'completion': [{'role': 'assistant', 'content': 'Bye!'}]}"));

        assertThat(readAuto(file)).containsExactly(
                new SftExample("sft.jsonl:line 1", chat(system("Be kind."), user("Say hi.")), chat(assistant("Hi!"))),
                new SftExample("sft.jsonl:line 2", chat(user("Say bye.")), chat(assistant("Bye!"))));
    }

    @Test
    void messagesSplitBeforeTheLastAssistantMessage() throws Exception {
        Path file = TestFiles.write(dir.resolve("sft.jsonl"),
                q("{'messages': [{'role': 'system', 'content': 'S'}, {'role': 'user', 'content': 'u1'},"
                        + " {'role': 'assistant', 'content': 'a1'}, {'role': 'user', 'content': 'u2'},"
                        + " {'role': 'assistant', 'content': 'a2'}]}"),
                q("{'messages': [{'role': 'assistant', 'content': 'Hello, how can I help?'}]}"));

        assertThat(readAuto(file)).containsExactly(
                new SftExample("sft.jsonl:line 1", chat(system("S"), user("u1"), assistant("a1"), user("u2")),
                        chat(assistant("a2"))),
                new SftExample("sft.jsonl:line 2", chat(), chat(assistant("Hello, how can I help?"))));
    }

    @Test
    void textIsPlainLanguageModelling() throws Exception {
        Path file = TestFiles.write(dir.resolve("sft.json"), "[" + TEXT_ROW + "]");

        assertThat(readAuto(file)).containsExactly(new SftExample("sft.json:row 1", text(""), text("Once upon a time")));
    }

    @Test
    void parquetMessagesColumn() throws Exception {
        MessageType schema = TestFiles.schema(TestFiles.messagesColumn("messages"), "optional int64 id;");
        SimpleGroupFactory rows = TestFiles.rows(schema);
        Group row = rows.newGroup().append("id", 1L);
        TestFiles.addMessages(row, "messages", user("Hi"), assistant("Hello!"));
        Path file = TestFiles.writeParquet(dir.resolve("data/train-00000-of-00001.parquet"), schema, List.of(row));

        assertThat(SftDatasets.read(dir, "train", DatasetFormat.CONVERSATIONAL, InvalidRowPolicy.FAIL, 0).examples())
                .containsExactly(new SftExample("data/train-00000-of-00001.parquet:row 1", chat(user("Hi")),
                        chat(assistant("Hello!"))));
        assertThat(file).exists();
    }

    static Stream<Arguments> invalidRows() {
        return Stream.of(
                Arguments.of("no known column", TEXT_ROW, q("{'input': 'x'}"),
                        "missing columns: an SFT row needs 'prompt' and 'completion', 'messages' or 'text' (the row has"
                                + " [input])"),
                Arguments.of("completion without prompt", PROMPT_COMPLETION_ROW, q("{'completion': 'c'}"),
                        "field 'prompt': missing column"),
                Arguments.of("number as completion", PROMPT_COMPLETION_ROW, q("{'prompt': 'p', 'completion': 1}"),
                        "field 'completion': expected text (standard format, detected from bad.jsonl:line 1) but"
                                + " found a number (1)"),
                Arguments.of("empty text", TEXT_ROW, q("{'text': ''}"), "field 'text': the completion is empty"),
                Arguments.of("empty completion list", MESSAGES_ROW, q("{'prompt': 'p', 'completion': []}"),
                        "field 'completion': the completion is empty"),
                Arguments.of("conversation ending with the user", MESSAGES_ROW,
                        q("{'messages': [{'role': 'assistant', 'content': 'a'}, {'role': 'user', 'content': 'q'}]}"),
                        "field 'messages': the completion's last message is from 'user', not the assistant"),
                Arguments.of("empty conversation", MESSAGES_ROW, q("{'messages': []}"),
                        "field 'messages': the conversation is empty"),
                Arguments.of("unknown role", MESSAGES_ROW, q("{'messages': [{'role': 'human', 'content': 'q'},"
                                + " {'role': 'assistant', 'content': 'a'}]}"),
                        "field 'messages': message 1 has the unknown role 'human'"),
                Arguments.of("messages in a text dataset", TEXT_ROW, MESSAGES_ROW,
                        "field 'messages': expected text (standard format, detected from bad.jsonl:line 1) but found"
                                + " a list"),
                Arguments.of("text in a conversational dataset", MESSAGES_ROW, TEXT_ROW,
                        "field 'text': expected a list of messages [{role, content}] (conversational format"),
                Arguments.of("malformed JSON", TEXT_ROW, "{'text': 'x'}", "bad.jsonl:line 2: malformed JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void invalidRowFailsWithFileRowAndField(String kind, String validRow, String badRow, String expected)
            throws Exception {
        Path file = TestFiles.write(dir.resolve("bad.jsonl"), validRow, badRow, validRow);

        assertThatThrownBy(() -> readAuto(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Invalid row at bad.jsonl:line 2: ")
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void invalidRowIsCountedUnderSkip(String kind, String validRow, String badRow, String expected) throws Exception {
        Path file = TestFiles.write(dir.resolve("bad.jsonl"), validRow, badRow, validRow);

        DatasetReadResult<SftExample> result = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 0);

        assertThat(result.examples()).hasSize(2);
        assertThat(result.skippedRows()).isEqualTo(1);
        assertThat(result.skipReasons()).singleElement().asString().contains(expected);
    }

    @Test
    void forcedStandardRejectsConversationsAndForcedConversationalRejectsText() throws Exception {
        Path messages = TestFiles.write(dir.resolve("messages.jsonl"), MESSAGES_ROW);
        Path plain = TestFiles.write(dir.resolve("plain.jsonl"), PROMPT_COMPLETION_ROW);

        assertThatThrownBy(() -> read(messages, DatasetFormat.STANDARD, InvalidRowPolicy.FAIL, 0))
                .hasMessageContaining("field 'messages': expected text (standard format, set by dataset.format)");
        assertThatThrownBy(() -> read(plain, DatasetFormat.CONVERSATIONAL, InvalidRowPolicy.FAIL, 0))
                .hasMessageContaining("field 'completion': expected a list of messages");
    }

    @Test
    void maxSamples() throws Exception {
        Path file = TestFiles.write(dir.resolve("sft.jsonl"), TEXT_ROW, q("{'text': 7}"), TEXT_ROW, TEXT_ROW);

        DatasetReadResult<SftExample> result = read(file, DatasetFormat.AUTO, InvalidRowPolicy.SKIP, 2);

        assertThat(result.examples()).extracting(SftExample::origin).containsExactly("sft.jsonl:line 1", "sft.jsonl:line 3");
        assertThat(result.skippedRows()).isEqualTo(1);
    }
}
