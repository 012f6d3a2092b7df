package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.data.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The real chat templates of three model families render exactly as transformers' {@code apply_chat_template(...,
 * tokenize=False)} renders them.
 *
 * <p>Where the templates come from (src/test/resources/chat-templates/, byte for byte, see the README there):
 * <ul>
 *   <li>SmolLM2-135M-Instruct: the {@code gguf} template of {@code library/smollm2:135m} in huggingface.js
 *       {@code packages/ollama-utils/src/chat-template-automap.ts} (the GGUF carries tokenizer_config.json's
 *       chat_template); the same string appears in several test suites quoting the model's tokenizer_config.json.
 *   <li>Qwen2.5-0.5B-Instruct: huggingface.js {@code packages/jinja/test/e2e.test.js}, entry
 *       {@code Qwen/Qwen2.5-7B-Instruct} (all Qwen2.5 Instruct sizes share one template). The {@code qwen2.5:0.5b}
 *       GGUF of the automap carries an earlier revision that differs only in the tools branch ({@code {{"name": ...}}}
 *       instead of {@code {"name": ...}} in the tool-call instructions); the conversations without tools render the
 *       same with both.
 *   <li>Llama 3.1 8B Instruct: huggingface.js e2e.test.js, entry {@code meta-llama/Llama-3.1-8B-Instruct}; identical to
 *       the {@code library/llama3.1:8b} GGUF template of the automap.
 * </ul>
 *
 * <p>Expected strings: derived by reading each template under Jinja2's rules (trim_blocks and lstrip_blocks on,
 * {@code {%-}/{{-} strip the whitespace before them, one trailing newline of the source dropped, Llama's
 * {@code | trim}), and checked against Jinja2 3.1.6 configured as transformers configures it
 * ({@code render_with_jinja2.py} next to the templates).
 */
class HuggingFaceChatTemplatesTest {

    /** (a) one user message, with the generation prompt. */
    static final List<Message> USER_ONLY = List.of(new Message("user", "What is the capital of France?"));

    /** (b) system + user + assistant, no generation prompt; the system message ends with a newline on purpose. */
    static final List<Message> SYSTEM_USER_ASSISTANT = List.of(
        new Message("system", "You are a terse assistant.\n"),
        new Message("user", "Name a prime number."),
        new Message("assistant", "7"));

    /** (c) multi-turn, with the generation prompt; one answer has leading and trailing whitespace on purpose. */
    static final List<Message> MULTI_TURN = List.of(
        new Message("user", "Hi!"),
        new Message("assistant", "Hello! How can I help?"),
        new Message("user", "Tell me a joke."),
        new Message("assistant", " Why did the chicken cross the road?\n"),
        new Message("user", "Why?"));

    static final String TOOLS_JSON = """
        [{"type": "function", "function": {"name": "get_current_temperature",
          "description": "Get the current temperature at a location, in °C or °F.",
          "parameters": {"type": "object", "properties": {
            "location": {"type": "string", "description": "The location, in the format \\"City, Country\\""},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "precision": {"type": "number", "default": 1e-05}},
          "required": ["location"]}}}]
        """;

    static String resource(String name) {
        try (InputStream in = HuggingFaceChatTemplatesTest.class.getResourceAsStream("/chat-templates/" + name)) {
            assertThat(in).as("test resource chat-templates/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<?> tools() {
        try {
            return new ObjectMapper().readValue(TOOLS_JSON, List.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class SmolLM2 {

        // HuggingFaceTB/SmolLM2-135M-Instruct tokenizer_config.json special tokens.
        final ChatTemplate template = ChatTemplate.compile(resource("smollm2-135m-instruct.jinja"),
            new TokenizerConfig("<|im_start|>", "<|im_end|>", "<|im_end|>", "<|endoftext|>", null, Map.of()));

        @Test
        void userMessageGetsTheDefaultSystemPromptAndTheGenerationPrompt() {
            assertThat(template.render(USER_ONLY, true)).isEqualTo(
                "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                    + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                    + "<|im_start|>assistant\n");
        }

        @Test
        void ownSystemMessageReplacesTheDefaultAndContentIsKeptVerbatim() {
            assertThat(template.render(SYSTEM_USER_ASSISTANT, false)).isEqualTo(
                "<|im_start|>system\nYou are a terse assistant.\n<|im_end|>\n"
                    + "<|im_start|>user\nName a prime number.<|im_end|>\n"
                    + "<|im_start|>assistant\n7<|im_end|>\n");
        }

        @Test
        void multiTurn() {
            assertThat(template.render(MULTI_TURN, true)).isEqualTo(
                "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                    + "<|im_start|>user\nHi!<|im_end|>\n"
                    + "<|im_start|>assistant\nHello! How can I help?<|im_end|>\n"
                    + "<|im_start|>user\nTell me a joke.<|im_end|>\n"
                    + "<|im_start|>assistant\n Why did the chicken cross the road?\n<|im_end|>\n"
                    + "<|im_start|>user\nWhy?<|im_end|>\n"
                    + "<|im_start|>assistant\n");
        }
    }

    @Nested
    class Qwen25 {

        // Qwen/Qwen2.5-0.5B-Instruct: no BOS token, EOS <|im_end|>, pad <|endoftext|>.
        final ChatTemplate template = ChatTemplate.compile(resource("qwen2.5-0.5b-instruct.jinja"),
            new TokenizerConfig(null, "<|im_end|>", "<|endoftext|>", null, null, Map.of()));

        static final String DEFAULT_SYSTEM =
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n";

        @Test
        void userMessageGetsTheDefaultSystemMessage() {
            assertThat(template.render(USER_ONLY, true)).isEqualTo(DEFAULT_SYSTEM
                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                + "<|im_start|>assistant\n");
        }

        @Test
        void systemUserAssistant() {
            assertThat(template.render(SYSTEM_USER_ASSISTANT, false)).isEqualTo(
                "<|im_start|>system\nYou are a terse assistant.\n<|im_end|>\n"
                    + "<|im_start|>user\nName a prime number.<|im_end|>\n"
                    + "<|im_start|>assistant\n7<|im_end|>\n");
        }

        @Test
        void multiTurn() {
            assertThat(template.render(MULTI_TURN, true)).isEqualTo(DEFAULT_SYSTEM
                + "<|im_start|>user\nHi!<|im_end|>\n"
                + "<|im_start|>assistant\nHello! How can I help?<|im_end|>\n"
                + "<|im_start|>user\nTell me a joke.<|im_end|>\n"
                + "<|im_start|>assistant\n Why did the chicken cross the road?\n<|im_end|>\n"
                + "<|im_start|>user\nWhy?<|im_end|>\n"
                + "<|im_start|>assistant\n");
        }

        @Test
        void toolsBranchWritesSchemasWithPythonJsonSpacing() {
            assertThat(template.render(USER_ONLY, true, Map.of("tools", tools()))).isEqualTo(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n"
                    + "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                    + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                    + "{\"type\": \"function\", \"function\": {\"name\": \"get_current_temperature\", "
                    + "\"description\": \"Get the current temperature at a location, in °C or °F.\", "
                    + "\"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\", "
                    + "\"description\": \"The location, in the format \\\"City, Country\\\"\"}, "
                    + "\"unit\": {\"type\": \"string\", \"enum\": [\"celsius\", \"fahrenheit\"]}, "
                    + "\"precision\": {\"type\": \"number\", \"default\": 1e-05}}, \"required\": [\"location\"]}}}\n"
                    + "</tools>\n\nFor each function call, return a json object with function name and arguments "
                    + "within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                    + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                    + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                    + "<|im_start|>assistant\n");
        }
    }

    @Nested
    class Llama31 {

        // meta-llama/Llama-3.1-8B-Instruct: BOS <|begin_of_text|>, EOS <|eot_id|>, no pad token.
        final ChatTemplate template = ChatTemplate.compile(resource("llama-3.1-8b-instruct.jinja"),
            new TokenizerConfig("<|begin_of_text|>", "<|eot_id|>", null, null, null, Map.of()));

        static final String SYSTEM_HEADER = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

        @Test
        void userMessageGetsBosDatesAndAnEmptySystemMessage() {
            assertThat(template.render(USER_ONLY, true)).isEqualTo(SYSTEM_HEADER
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        @Test
        void systemMessageIsTrimmedIntoTheHeader() {
            assertThat(template.render(SYSTEM_USER_ASSISTANT, false)).isEqualTo(SYSTEM_HEADER
                + "You are a terse assistant.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nName a prime number.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n7<|eot_id|>");
        }

        @Test
        void multiTurnTrimsEveryMessage() {
            assertThat(template.render(MULTI_TURN, true)).isEqualTo(SYSTEM_HEADER
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nWhy did the chicken cross the road?<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        @Test
        void dateStringVariableReplacesTheDefaultDate() {
            assertThat(template.render(USER_ONLY, true, Map.of("date_string", "01 Jan 2025")))
                .startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                    + "Cutting Knowledge Date: December 2023\nToday Date: 01 Jan 2025\n\n<|eot_id|>");
        }

        @Test
        void toolsGoIntoTheFirstUserMessageAsIndentedJson() {
            List<Message> messages = SYSTEM_USER_ASSISTANT.subList(0, 2);
            assertThat(template.render(messages, true, Map.of("tools", tools()))).isEqualTo(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n"
                    + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                    + "You are a terse assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                    + "Given the following functions, please respond with a JSON for a function call with its "
                    + "proper arguments that best answers the given prompt.\n\n"
                    + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name "
                    + "and its value}.Do not use variables.\n\n"
                    + "{\n    \"type\": \"function\",\n    \"function\": {\n"
                    + "        \"name\": \"get_current_temperature\",\n"
                    + "        \"description\": \"Get the current temperature at a location, in °C or °F.\",\n"
                    + "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n"
                    + "                \"location\": {\n                    \"type\": \"string\",\n"
                    + "                    \"description\": \"The location, in the format \\\"City, Country\\\"\"\n"
                    + "                },\n                \"unit\": {\n                    \"type\": \"string\",\n"
                    + "                    \"enum\": [\n                        \"celsius\",\n"
                    + "                        \"fahrenheit\"\n                    ]\n                },\n"
                    + "                \"precision\": {\n                    \"type\": \"number\",\n"
                    + "                    \"default\": 1e-05\n                }\n            },\n"
                    + "            \"required\": [\n                \"location\"\n            ]\n        }\n    }\n}"
                    + "\n\nName a prime number.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        @Test
        void toolResultStringIsWrittenAsJsonBecauseJinja2FindsStringsIterable() {
            List<Message> messages = List.of(new Message("user", "Weather in Paris?"),
                new Message("tool", "{\"temp\": 20}"), new Message("assistant", "It is 20 degrees."));

            assertThat(template.render(messages, false)).isEqualTo(SYSTEM_HEADER
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWeather in Paris?<|eot_id|>"
                + "<|start_header_id|>ipython<|end_header_id|>\n\n\"{\\\"temp\\\": 20}\"<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nIt is 20 degrees.<|eot_id|>");
        }

        @Test
        void templatesOwnRaiseExceptionSurfacesWithItsMessage() {
            List<Message> systemOnly = SYSTEM_USER_ASSISTANT.subList(0, 1);
            assertThatThrownBy(() -> template.render(systemOnly, true, Map.of("tools", tools())))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("chat_template")
                .hasMessageContaining(
                    "Cannot put tools in the first user message when there's no first user message!");
        }
    }
}
