package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.prefalign.trainer.data.Message;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template, rendered as transformers' {@code apply_chat_template(messages, tokenize=False,
 * add_generation_prompt=...)} renders it with Jinja2: {@code trim_blocks} and {@code lstrip_blocks} on, the
 * template's trailing newline dropped, {@code messages}, {@code add_generation_prompt} and the special tokens
 * ({@code bos_token}, {@code eos_token}, {@code pad_token}, {@code unk_token}) in the context, and transformers'
 * globals {@code raise_exception}, {@code strftime_now} and its Python-style {@code tojson} filter.
 *
 * <p>Jinjava stands in for Jinja2. Its legacy overrides are switched to the Jinja2 behaviour (whitespace control on
 * expressions and comments, natural operator precedence, Python-style printing of lists and maps, map keys as
 * expressions), and nested interpretation is off so that a message containing {@code {{ }}} stays text. Where Jinjava
 * still differs from Jinja2 in ways real templates notice, this package adds the Python behaviour: {@code not}
 * binds looser than {@code is}/{@code ==} ({@link Jinja2PrecedenceJinjava}), {@code str} methods
 * ({@link PythonStringMethods}), the {@code trim}, {@code items}, {@code iterable} and {@code sequence} semantics
 * ({@link PythonFilters}), printing of booleans and floats ({@link PythonOutputInterpreter}) and the
 * {@code {% generation %}} block ({@link GenerationTag}).
 *
 * <p>Jinjava collects render errors instead of throwing; every error becomes a {@link ChatTemplateException} here,
 * because a prompt rendered around a failed expression is silently wrong training data. Unknown filters and tests,
 * which Jinjava would render as empty values, are rejected at compile time as Jinja2 rejects them.
 *
 * <p>Known differences, none of them silent for the features that fail: Jinjava treats a null variable as undefined
 * (Jinja2 sees transformers' {@code tools=None} as defined; the templates tested here behave the same either way);
 * slices with a step ({@code messages[::-1]}) and Python's {@code u}/{@code x} backslash escapes in string literals
 * fail to render.
 */
public final class ChatTemplate {

    private static final Set<String> RESERVED = Set.of("messages", "add_generation_prompt");
    private static final String STRFTIME_NOW_DEFINED = "<function strftime_now>";
    private static final Jinjava JINJAVA = newJinjava();

    private final String name;
    private final String source;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(String name, String source, Map<String, Object> specialTokens) {
        this.name = name;
        this.source = source;
        this.specialTokens = specialTokens;
    }

    /** Compiles a template; errors name it "chat_template". */
    public static ChatTemplate compile(String template, TokenizerConfig cfg) {
        return compile(template, cfg, "chat_template");
    }

    /**
     * Compiles a template, checking its block structure.
     *
     * @param name where the template came from, used in every error message
     * @throws ChatTemplateException when the template does not parse
     */
    public static ChatTemplate compile(String template, TokenizerConfig cfg, String name) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(name, "name");
        String source = jinja2Source(template);
        JinjavaInterpreter interpreter = JINJAVA.newInterpreter();
        interpreter.parse(source);
        failOnErrors(name, "does not parse", interpreter.getErrors());
        failOnUnknownNames(name, source);

        Map<String, Object> tokens = new LinkedHashMap<>();
        // transformers passes only the special tokens that are set; an unset one is undefined in the template.
        putIfSet(tokens, "bos_token", cfg.bosToken());
        putIfSet(tokens, "eos_token", cfg.eosToken());
        putIfSet(tokens, "pad_token", cfg.padToken());
        putIfSet(tokens, "unk_token", cfg.unkToken());
        return new ChatTemplate(name, source, Map.copyOf(tokens));
    }

    /** Renders a conversation exactly as {@code apply_chat_template(messages, tokenize=False)} would. */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders with extra template variables, as transformers' {@code **kwargs} (for example {@code tools},
     * {@code date_string}); they override the special tokens, as in transformers.
     *
     * @throws ChatTemplateException when the template raises an exception or an expression fails
     */
    public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        for (Map.Entry<String, ?> variable : variables.entrySet()) {
            if (RESERVED.contains(variable.getKey())) {
                throw new IllegalArgumentException("template variable " + variable.getKey()
                    + " is set by render itself; pass it through the messages / addGenerationPrompt arguments");
            }
            context.put(variable.getKey(), variable.getValue());
        }
        List<Map<String, Object>> conversation = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", message.role());
            entry.put("content", message.content());
            conversation.add(entry);
        }
        context.put("messages", conversation);
        context.put("add_generation_prompt", addGenerationPrompt);
        // Jinja2 sees the global function as a defined variable; Llama 3.2 tests `strftime_now is defined`.
        context.putIfAbsent("strftime_now", STRFTIME_NOW_DEFINED);

        RenderResult result = JINJAVA.renderForResult(source, context);
        failOnErrors(name, "failed to render", result.getErrors());
        return result.getOutput();
    }

    /** Where the template came from. */
    public String name() {
        return name;
    }

    private static void putIfSet(Map<String, Object> tokens, String key, String value) {
        if (value != null) {
            tokens.put(key, value);
        }
    }

    private static void failOnErrors(String name, String what, List<TemplateError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        for (TemplateError error : errors) {
            TemplateFunctions.RaisedException raised = raisedBy(error.getException());
            if (raised != null) {
                throw new ChatTemplateException(name, "raise_exception: " + raised.getMessage(), raised);
            }
        }
        StringBuilder message = new StringBuilder(what);
        for (TemplateError error : errors) {
            message.append("; ").append(error.getSeverity()).append(" at line ").append(error.getLineno())
                .append(": ").append(error.getMessage());
        }
        throw new ChatTemplateException(name, message.toString(), errors.get(0).getException());
    }

    /** Jinja2 rejects unknown filters and tests at compile time; Jinjava would render them as empty values. */
    private static void failOnUnknownNames(String name, String source) {
        for (FilterAndTestNames.Use use : FilterAndTestNames.scan(source)) {
            boolean known = use.kind() == FilterAndTestNames.Kind.FILTER
                ? JINJAVA.getGlobalContext().getFilter(use.name()) != null
                : JINJAVA.getGlobalContext().getExpTest(use.name()) != null;
            if (!known) {
                String kind = use.kind() == FilterAndTestNames.Kind.FILTER ? "filter" : "test";
                throw new ChatTemplateException(name, "line " + use.line() + ": no " + kind + " named '"
                    + use.name() + "' (prefalign renders templates with Jinjava plus transformers' additions; "
                    + "this one is not among them)", null);
            }
        }
    }

    private static TemplateFunctions.RaisedException raisedBy(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.RaisedException raised) {
                return raised;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * The template source as Jinja2's lexer sees it: line breaks normalised to {@code \n} and one trailing line break
     * dropped ({@code keep_trailing_newline=False}). Jinja2 splits with Python's {@code str.splitlines}, so every
     * line boundary it knows counts.
     */
    static String jinja2Source(String template) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c == '\r' && i + 1 < n && template.charAt(i + 1) == '\n') {
                out.append('\n');
                i += 2;
                continue;
            }
            out.append(isLineBoundary(c) ? '\n' : c);
            i++;
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static boolean isLineBoundary(char c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u001c' || c == '\u001d'
            || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static Jinjava newJinjava() {
        LegacyOverrides jinja2Behaviour = LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withParseWhitespaceControlStrictly(true)
            .withUseNaturalOperatorPrecedence(true)
            .withUsePyishObjectMapper(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .build();
        // Python's str methods first; everything else as Jinjava resolves it by default.
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withNestedInterpretationEnabled(false)
            // jinja2Source already dropped the trailing newline; Jinjava must not drop another one.
            .withKeepTrailingNewline(true)
            .withLegacyOverrides(jinja2Behaviour)
            .withElResolver(resolver)
            .withInterperterFactory(PythonOutputInterpreter.FACTORY)
            .build();
        Jinjava jinjava = new Jinja2PrecedenceJinjava(config);
        jinjava.registerFilter(new TojsonFilter());
        jinjava.registerFilter(new PythonFilters.Trim());
        jinjava.registerFilter(new PythonFilters.Items());
        jinjava.registerExpTest(new PythonFilters.IterableTest());
        jinjava.registerExpTest(new PythonFilters.SequenceTest());
        jinjava.registerTag(new GenerationTag());
        jinjava.registerFunction(function("raise_exception", "raiseException", Object.class));
        jinjava.registerFunction(function("strftime_now", "strftimeNow", String.class));
        return jinjava;
    }

    private static ELFunctionDefinition function(String templateName, String methodName, Class<?> parameter) {
        try {
            Method method = TemplateFunctions.class.getDeclaredMethod(methodName, parameter);
            method.setAccessible(true);
            return new ELFunctionDefinition("", templateName, method);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("TemplateFunctions." + methodName + " is missing", e);
        }
    }
}
