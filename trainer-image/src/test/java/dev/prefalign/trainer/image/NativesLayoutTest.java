package dev.prefalign.trainer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prefalign.testkit.ParsedDockerfile;
import dev.prefalign.trainer.cli.TrainerCli;
import dev.prefalign.trainer.demo.TinyModelFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs src/docker/extract-natives.sh, the step of the image build that lays out libtorch, and starts the trainer
 * against its output with the image's environment: the trainer must load PyTorch and the tokenizer from those
 * folders and write nothing into them or into DJL's cache (the image's root filesystem is read-only).
 */
class NativesLayoutTest {

    static final Path SCRIPT = TrainerDockerfileTest.MODULE.resolve("src/docker/extract-natives.sh");
    /** Where the Dockerfile lays the natives out. */
    static final String IMAGE_NATIVES = "/opt/djl";
    static final Path SHADED_JAR = TrainerDockerfileTest.MODULE.resolve("target/prefalign-trainer.jar");

    @TempDir
    static Path tmp;
    private static Path model;

    @BeforeAll
    static void linuxX86WithUnzip() throws IOException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
                "the image and its natives are linux-x86_64");
        assumeTrue(onPath("unzip") && onPath("bash"), "extract-natives.sh needs bash and unzip");
        model = TinyModelFactory.write(tmp.resolve("model"), List.of("hello", "world", "please", "thanks"),
                new TinyModelFactory.Shape(32, 64, 2, 4, 2, true), 1);
    }

    @Test
    void trainerLoadsLibtorchFromTheExtractedFoldersAndWritesNothing() throws Exception {
        String jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.matches(".*/(pytorch-jni|pytorch-native-cpu|tokenizers)-[^/]*\\.jar"))
                .collect(Collectors.joining(":"));
        Path natives = tmp.resolve("from-classpath");
        run(List.of("bash", SCRIPT.toString(), "cpu", jars, natives.toString()), Map.of());
        Map<String, String> env = nativesEnv(natives);

        assertThat(Files.size(natives.resolve("libtorch/libtorch_cpu.so"))).isGreaterThan(100_000_000L);
        assertThat(natives.resolve("cache/pytorch/" + env.get("PYTORCH_VERSION") + "-cpu-linux-x86_64/"
                + "0.36.0-libdjl_torch.so")).isRegularFile();
        assertSameAsDockerfile(env, natives);

        List<String> command = List.of(java(), "-cp", System.getProperty("java.class.path"),
                TrainerCli.class.getName());
        assertTrainerRunsReadOnly(command, natives, env, "classpath");
    }

    /** What the image runs: the jar without its native binaries (SLIM_JAR), so nothing but the folders can serve. */
    @Test
    void slimJarOfTheImageRunsOnTheFoldersAlone() throws Exception {
        assumeTrue(Files.isRegularFile(SHADED_JAR), "no shaded jar: run mvn package first");
        Path natives = tmp.resolve("from-shaded-jar");
        Path slim = tmp.resolve("slim.jar");
        assumeTrue(onPath("zip"), "SLIM_JAR needs zip");
        run(List.of("bash", SCRIPT.toString(), "cpu", SHADED_JAR.toString(), natives.toString()),
                Map.of("SLIM_JAR", slim.toString(), "EXPECTED_PYTORCH_VERSION", TrainerDockerfileTest
                        .property(TrainerDockerfileTest.MODULE.resolve("../pom.xml"), "pytorch.version")));
        assertThat(Files.size(slim)).as("slim jar").isLessThan(Files.size(SHADED_JAR) / 2);
        Map<String, String> env = nativesEnv(natives);
        assertSameAsDockerfile(env, natives);

        assertTrainerRunsReadOnly(List.of(java(), "-jar", slim.toString()), natives, env, "slim-jar");
    }

    @Test
    void refusesAJarOfAnotherPytorchVersion() throws Exception {
        assumeTrue(Files.isRegularFile(SHADED_JAR), "no shaded jar: run mvn package first");
        ProcessResult result = start(List.of("bash", SCRIPT.toString(), "cpu", SHADED_JAR.toString(),
                tmp.resolve("wrong-version").toString()), Map.of("EXPECTED_PYTORCH_VERSION", "9.9.9"));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("but 9.9.9 was expected");
    }

    private static void assertTrainerRunsReadOnly(List<String> launcher, Path natives, Map<String, String> env,
            String name) throws Exception {
        Map<Path, String> before = snapshot(natives);
        setWritable(natives, false); // no effect when the tests run as root; the snapshot catches writes then
        Path cache = Files.createDirectories(tmp.resolve(name + "-djl-cache"));
        Map<String, String> childEnv = new LinkedHashMap<>(env);
        childEnv.put("DJL_CACHE_DIR", cache.toString());
        childEnv.put("OMP_WAIT_POLICY", "PASSIVE");
        Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        if (Files.isRegularFile(jemalloc)) {
            childEnv.put("LD_PRELOAD", jemalloc.toString()); // as in the image
            childEnv.put("MALLOC_CONF", "oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("generate", "--model", model.toString(), "--prompt", "hello", "--raw",
                "--max-new-tokens", "3"));
        try {
            ProcessResult result = start(command, childEnv);
            assertThat(result.exitCode()).as("trainer output:\n%s", result.output()).isZero();
            assertThat(result.output()).as("generated text").contains("hello");
        } finally {
            setWritable(natives, true);
        }
        assertThat(snapshot(cache)).as("DJL_CACHE_DIR after the run").isEmpty();
        assertThat(snapshot(natives)).as("natives folders after the run").isEqualTo(before);
    }

    /** The ENV of the image must equal what the script reports, for the folder the image uses. */
    private static void assertSameAsDockerfile(Map<String, String> env, Path natives) throws Exception {
        ParsedDockerfile dockerfile = ParsedDockerfile.read(TrainerDockerfileTest.DOCKERFILE);
        Map<String, String> imageEnv = dockerfile.finalStage().env();
        env.forEach((key, value) -> assertThat(imageEnv.get(key)).as("ENV %s", key).isNotNull()
                .satisfies(v -> assertThat(dockerfile.expand(v))
                        .isEqualTo(value.replace(natives.toString(), IMAGE_NATIVES))));
    }

    private static Map<String, String> nativesEnv(Path natives) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(natives.resolve("natives.env"))) {
            if (!line.isBlank()) {
                String[] nameValue = line.split("=", 2);
                env.put(nameValue[0], nameValue[1]);
            }
        }
        assertThat(env).containsKeys("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "ENGINE_CACHE_DIR",
                "RUST_LIBRARY_PATH");
        return env;
    }

    /** Every file under dir with its size and modification time. */
    private static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.filter(p -> !p.equals(dir)).toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                files.put(dir.relativize(p), a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime());
            }
        }
        return files;
    }

    private static void setWritable(Path dir, boolean writable) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isDirectory).forEach(p -> p.toFile().setWritable(writable, false));
        }
    }

    record ProcessResult(int exitCode, String output) {
    }

    private static void run(List<String> command, Map<String, String> env) throws Exception {
        ProcessResult result = start(command, env);
        assertThat(result.exitCode()).as("%s:\n%s", command, result.output()).isZero();
    }

    /** Runs a child with the DJL variables of this JVM's environment replaced by {@code env}. */
    private static ProcessResult start(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PYTORCH_") || k.startsWith("RUST_")
                || k.equals("ENGINE_CACHE_DIR") || k.equals("DJL_CACHE_DIR") || k.equals("LD_PRELOAD"));
        builder.environment().putAll(env);
        Path log = Files.createTempFile(tmp, "child", ".log");
        builder.redirectOutput(log.toFile()); // a file, so that a hung child cannot block the reader past the timeout
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end in 120 s:\n" + Files.readString(log));
        }
        return new ProcessResult(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
