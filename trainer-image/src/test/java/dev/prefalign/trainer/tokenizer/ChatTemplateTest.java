package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.trainer.data.Message;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How templates are rendered, beyond the real model templates: the expected strings are what Jinja2 3.1.6 prints for
 * the same source with transformers' settings (trim_blocks, lstrip_blocks, loop controls).
 */
class ChatTemplateTest {

    static final TokenizerConfig TOKENS = new TokenizerConfig("<s>", "</s>", null, "<unk>", null, Map.of());
    static final List<Message> HELLO = List.of(new Message("user", "Hello"));

    static String render(String template, Map<String, ?> variables) {
        return ChatTemplate.compile(template, TOKENS).render(HELLO, false, variables);
    }

    @Test
    void raiseExceptionStopsTheRenderWithTheTemplatesMessageAndName() {
        ChatTemplate template = ChatTemplate.compile(
            "{% if messages[0]['role'] != 'system' %}{{ raise_exception('Conversation roles must alternate "
                + "user/assistant/user/assistant/...') }}{% endif %}ok",
            TOKENS, "/models/tiny/tokenizer_config.json (chat_template)");

        assertThatThrownBy(() -> template.render(HELLO, true))
            .isInstanceOf(ChatTemplateException.class)
            .hasMessage("chat template /models/tiny/tokenizer_config.json (chat_template): raise_exception: "
                + "Conversation roles must alternate user/assistant/user/assistant/...")
            .extracting(e -> ((ChatTemplateException) e).templateName())
            .isEqualTo("/models/tiny/tokenizer_config.json (chat_template)");
        assertThat(template.render(List.of(new Message("system", "s")), true)).isEqualTo("ok");
    }

    @Test
    void failingExpressionIsAnErrorNotAnEmptyString() {
        ChatTemplate template = ChatTemplate.compile("{{ messages | tojson(bogus=1) }}", TOKENS);

        assertThatThrownBy(() -> template.render(HELLO, false))
            .isInstanceOf(ChatTemplateException.class)
            .hasMessageContaining("chat template chat_template: failed to render")
            .hasMessageContaining("bogus");
    }

    @Test
    void unknownFiltersAndTestsFailAtCompileAsInJinja2() {
        // Jinjava alone would render an unknown filter as an empty value.
        assertThatThrownBy(() -> ChatTemplate.compile("{{ '<|im_start|>' }}\n{{ messages | no_such_filter }}",
            TOKENS, "t.jinja"))
            .isInstanceOf(ChatTemplateException.class)
            .hasMessageStartingWith("chat template t.jinja: line 2: no filter named 'no_such_filter'");
        assertThatThrownBy(() -> ChatTemplate.compile("{% if messages is not no_such_test %}{% endif %}", TOKENS))
            .isInstanceOf(ChatTemplateException.class)
            .hasMessageContaining("no test named 'no_such_test'");
    }

    @Test
    void unbalancedBlocksFailAtCompile() {
        assertThatThrownBy(() -> ChatTemplate.compile("{% if messages %}no endif", TOKENS, "broken.jinja"))
            .isInstanceOf(ChatTemplateException.class)
            .hasMessageStartingWith("chat template broken.jinja: does not parse");
    }

    @Test
    void malformedExpressionFailsAtRender() {
        ChatTemplate template = ChatTemplate.compile("{{ 1 + }}", TOKENS);

        assertThatThrownBy(() -> template.render(HELLO, false)).isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void messageContentIsNeverInterpretedAsATemplate() {
        ChatTemplate template = ChatTemplate.compile("{{ messages[0]['content'] }}", TOKENS);

        assertThat(template.render(List.of(new Message("user", "{{ 6 * 7 }} {% if true %}x{% endif %}")), false))
            .isEqualTo("{{ 6 * 7 }} {% if true %}x{% endif %}");
    }

    @Test
    void specialTokensAndGenerationPromptAreInTheContextAndUnsetTokensAreUndefined() {
        ChatTemplate template = ChatTemplate.compile(
            "{{ bos_token }}{{ eos_token }}{{ unk_token }}|{% if pad_token is defined %}pad{% else %}no pad{% endif %}"
                + "|{% if add_generation_prompt %}gen{% endif %}", TOKENS);

        assertThat(template.render(HELLO, true)).isEqualTo("<s></s><unk>|no pad|gen");
        assertThat(template.render(HELLO, false)).isEqualTo("<s></s><unk>|no pad|");
    }

    @Test
    void variablesOverrideSpecialTokensButNotMessages() {
        assertThat(render("{{ bos_token }}{{ greeting }}", Map.of("bos_token", "<B>", "greeting", "hi")))
            .isEqualTo("<B>hi");
        assertThatThrownBy(() -> render("x", Map.of("messages", List.of())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("messages");
    }

    @Test
    void notHasPythonPrecedence() {
        // Jinja2: not (a == b), not (x is defined), not (1 in [1, 2])
        assertThat(render("{% if not a == b %}T{% else %}F{% endif %}|"
                + "{% if not x is defined %}undef{% else %}def{% endif %}|"
                + "{% if not 1 in [1, 2] %}T{% else %}F{% endif %}|"
                + "{% if not x is defined and not y is defined %}both{% else %}one{% endif %}",
            Map.of("a", 1, "b", 2, "x", 0)))
            .isEqualTo("T|def|F|one");
    }

    @Test
    void trailingNewlineOfTheSourceIsDroppedOnceAndLineBreaksAreNormalised() {
        assertThat(render("a\n\n", Map.of())).isEqualTo("a\n");
        assertThat(render("{{ eos_token }}\n", Map.of())).isEqualTo("</s>");
        assertThat(render("x\r\ny\r\n", Map.of())).isEqualTo("x\ny");
    }

    @Test
    void trimBlocksAndLstripBlocksAsInTransformers() {
        assertThat(render("  {% if true %}\n    x\n  {% endif %}\n  y", Map.of())).isEqualTo("    x\n  y");
        assertThat(render("{# comment #}\n{%- for m in items -%}\n  [{{ m }}]\n{%- endfor %}\n",
            Map.of("items", List.of(1, 2)))).isEqualTo("[1][2]");
    }

    @Test
    void loopControlsSlicesAndStringMethodsWork() {
        assertThat(render("{% for m in items %}\n  {% if m == 2 %}{% break %}{% endif %}\n  {{ m }}\n{% endfor %}",
            Map.of("items", List.of(1, 2, 3)))).isEqualTo("  1\n");
        assertThat(render("{{ items[1:] | length }}|{{ 'ab'.upper() }}|{{ ' x ' | trim }}",
            Map.of("items", List.of(1, 2, 3)))).isEqualTo("2|AB|x");
    }

    @Test
    void stringMethodsArePythons() {
        // Jinja2: "|".join(...) of each result; expected from Python 3.
        assertThat(render("{{ padded.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'a b '.rstrip() }}|"
                + "{{ 'a,b,,c,'.split(',') | length }}|{{ '  a  b '.split() }}|{{ 'a<think>b'.split('<think>')[-1] }}|"
                + "{{ 'x.y.z'.rsplit('.', 1) }}|{{ 'Hello'.startswith('He') }}|{{ 'Hello'.endswith(('x', 'lo')) }}|"
                + "{{ 'ab'.upper() }}{{ 'AB'.lower() }}|{{ \"they're bill's\".title() }}|{{ 'hI'.capitalize() }}|"
                + "{{ 'aXbXc'.replace('X', '-', 1) }}|{{ ', '.join(['a', 'b']) }}|{{ 'aaa'.count('aa') }}|"
                + "{{ 'abc'.find('c') }}",
            Map.of("padded", " \u00a0 x \n")))
            .isEqualTo("x|axx|a b|5|['a', 'b']|b|['x.y', 'z']|True|True|ABab|They'Re Bill'S|Hi|a-bXc|a, b|1|2");
    }

    @Test
    void itemsFilterUnpacksIntoTwoLoopVariables() {
        Map<String, Object> arguments = new java.util.LinkedHashMap<>();
        arguments.put("city", "Paris");
        arguments.put("unit", "celsius");
        assertThat(render("{% for k, v in args | items %}{{ k }}={{ v }};{% endfor %}", Map.of("args", arguments)))
            .isEqualTo("city=Paris;unit=celsius;");
    }

    @Test
    void stringsAndMappingsAreIterableAsInPython() {
        assertThat(render("{{ 's' is iterable }},{{ {'a': 1} is iterable }},{{ 's' is sequence }},"
            + "{{ 1 is iterable }}", Map.of())).isEqualTo("True,True,True,False");
    }

    @Test
    void valuesPrintAsPythonPrintsThem() {
        assertThat(render("{{ [1, 'a'] }}|{{ {'k': 'v'} }}|{{ 'a,b'.split(',') }}|{{ true }}|{{ 1 == 2 }}|{{ 0.00001 }}"
            + "|{{ 2.0 }}|{{ 7 }}", Map.of()))
            .isEqualTo("[1, 'a']|{'k': 'v'}|['a', 'b']|True|False|1e-05|2.0|7");
    }

    @Test
    void generationBlockRendersItsBody() {
        assertThat(render("{% generation %}{{ messages[0].content }}{% endgeneration %}!", Map.of()))
            .isEqualTo("Hello!");
    }

    @Test
    void strftimeNowIsDefinedAndFormatsTodaysDate() {
        LocalDate before = LocalDate.now();
        String rendered = render("{% if strftime_now is defined %}{{ strftime_now('%Y-%m-%d') }}{% endif %}",
            Map.of());
        LocalDate after = LocalDate.now();

        assertThat(rendered).isIn(before.toString(), after.toString());
    }
}
