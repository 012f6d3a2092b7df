package dev.prefalign.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way BuildKit reads it, as far as the image tests need: comments dropped, continuation lines
 * joined, instructions grouped into stages at each FROM. Just enough to assert on; it does not build anything.
 *
 * @param globalArgs ARGs before the first FROM, with their defaults (they may be used in FROM lines and re-declared)
 * @param stages     the build stages in file order; the last one is the image
 */
public record ParsedDockerfile(Path file, Map<String, String> globalArgs, List<Stage> stages) {

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** One instruction; {@code line} is where it starts, for messages. */
    public record Instruction(String keyword, String arguments, int line) {
    }

    /** One FROM and what follows it up to the next FROM. */
    public record Stage(String from, String name, List<Instruction> instructions) {

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The arguments of each instruction with this keyword, in order. */
        public List<String> arguments(String keyword) {
            return all(keyword).stream().map(Instruction::arguments).toList();
        }

        /** ENV values of this stage, later ones winning, as written (variables not expanded). */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                Matcher m = ENV_PAIR.matcher(i.arguments());
                int end = 0;
                while (m.find()) {
                    if (!i.arguments().substring(end, m.start()).isBlank()) {
                        throw new IllegalArgumentException("line " + i.line() + ": ENV must use NAME=value pairs");
                    }
                    String value = m.group(2);
                    if (value.startsWith("\"")) {
                        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                    }
                    env.put(m.group(1), value);
                    end = m.end();
                }
            }
            return env;
        }

        /** The last USER of the stage, or null. */
        public String user() {
            List<Instruction> users = all("USER");
            return users.isEmpty() ? null : users.get(users.size() - 1).arguments().strip();
        }

        /** The last ENTRYPOINT in exec form; a shell-form one fails (it would swallow the operator's args). */
        public List<String> entrypoint() {
            List<Instruction> entrypoints = all("ENTRYPOINT");
            if (entrypoints.isEmpty()) {
                return List.of();
            }
            Instruction last = entrypoints.get(entrypoints.size() - 1);
            try {
                return new ObjectMapper().readValue(last.arguments(), new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + last.line() + ": ENTRYPOINT is not in exec (JSON) form");
            }
        }
    }

    public static ParsedDockerfile read(Path file) throws IOException {
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction i : instructions(Files.readAllLines(file))) {
            if (i.keyword().equals("FROM")) {
                String[] words = i.arguments().strip().split("\\s+");
                String name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                current = new ArrayList<>();
                stages.add(new Stage(words[0], name, current));
            } else if (current == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(file + " line " + i.line() + ": only ARG may precede FROM");
                }
                String[] nameValue = i.arguments().strip().split("=", 2);
                globalArgs.put(nameValue[0], nameValue.length == 2 ? unquote(nameValue[1]) : "");
            } else {
                current.add(i);
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(file + " has no FROM");
        }
        return new ParsedDockerfile(file, Map.copyOf(globalArgs), List.copyOf(stages));
    }

    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no stage named " + name));
    }

    /** Expands ${NAME} and $NAME with the global ARG defaults (what a build without --build-arg uses). */
    public String expand(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = globalArgs.get(name);
            if (value == null) {
                throw new IllegalArgumentException(file + ": $" + name + " is no global ARG with a default");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static List<Instruction> instructions(List<String> lines) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue; // comments may sit between continuation lines too
            }
            if (pending.isEmpty()) {
                start = n + 1;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(stripped);
            String text = pending.toString().strip();
            pending.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? parts[1] : "",
                    start));
        }
        return instructions;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
