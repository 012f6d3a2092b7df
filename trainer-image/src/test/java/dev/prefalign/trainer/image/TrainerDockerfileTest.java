package dev.prefalign.trainer.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.testkit.ParsedDockerfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * trainer-image/Dockerfile cannot be built here (no Docker engine), so it is checked against what it must agree with:
 * the versions in the poms, the jar the shade plugin writes, and what a read-only root filesystem allows.
 */
class TrainerDockerfileTest {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path DOCKERFILE = MODULE.resolve("Dockerfile");

    private static ParsedDockerfile dockerfile;
    private static ParsedDockerfile.Stage image;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = ParsedDockerfile.read(DOCKERFILE);
        image = dockerfile.finalStage();
    }

    @Test
    void pytorchVersionIsTheOneThePomsBuildAgainst() throws Exception {
        String pomVersion = property(MODULE.resolve("../pom.xml"), "pytorch.version");
        assertThat(dockerfile.globalArgs()).containsEntry("PYTORCH_VERSION", pomVersion);
        assertThat(dockerfile.expand(image.env().get("PYTORCH_VERSION"))).isEqualTo(pomVersion);
        // The CUDA download is of that same version, by way of the same ARG.
        String run = dockerfile.stage("natives").all("RUN").stream().map(ParsedDockerfile.Instruction::arguments)
                .collect(Collectors.joining("\n"));
        assertThat(run).contains("libtorch-cxx11-abi-shared-with-deps-${PYTORCH_VERSION}%2Bcu128.zip")
                .contains("EXPECTED_PYTORCH_VERSION=\"${PYTORCH_VERSION}\"");
    }

    @Test
    void flavorIsCpuByDefaultAndPicksTheRuntimeBase() {
        assertThat(dockerfile.globalArgs()).containsEntry("FLAVOR", "cpu");
        assertThat(image.from()).isEqualTo("runtime-${FLAVOR}");
        assertThat(dockerfile.stages().stream().map(ParsedDockerfile.Stage::name))
                .contains("runtime-cpu", "runtime-cu128");
        assertThat(dockerfile.expand(dockerfile.stage("runtime-cu128").from())).startsWith("nvidia/cuda:12.8.")
                .endsWith("-cudnn-runtime-ubuntu22.04");
        assertThat(dockerfile.expand(dockerfile.stage("runtime-cpu").from())).startsWith("eclipse-temurin:17-jre");
        assertThat(dockerfile.expand(image.env().get("PYTORCH_FLAVOR"))).isEqualTo("cpu");
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = image.user();
        assertThat(user).as("USER of the image").matches("\\d+(:\\d+)?");
        long uid = Long.parseLong(user.split(":")[0]);
        assertThat(uid).as("uid").isPositive();
        // The operator's default runAsUser is checked against this USER in the operator module (it owns that value).
    }

    @Test
    void entrypointRunsTheShadedJarSoThatTheOperatorsArgsAreSubcommands() throws Exception {
        String jar = "/app/" + finalName() + ".jar";
        assertThat(image.entrypoint()).first().isEqualTo("java");
        assertThat(image.entrypoint()).endsWith("-jar", jar);
        assertThat(image.all("COPY")).extracting(ParsedDockerfile.Instruction::arguments)
                .contains("--from=natives /build/app/" + finalName() + ".jar " + jar);
        assertThat(dockerfile.stage("natives").all("COPY")).extracting(ParsedDockerfile.Instruction::arguments)
                .contains("target/" + finalName() + ".jar /build/" + finalName() + ".jar");
        assertThat(image.all("EXPOSE")).extracting(ParsedDockerfile.Instruction::arguments).containsExactly("8080");
    }

    @Test
    void everythingWrittenAtRunTimeGoesUnderTmp() {
        Map<String, String> env = image.env();
        assertThat(env).containsEntry("HOME", "/tmp");
        assertThat(env.get("DJL_CACHE_DIR")).startsWith("/tmp/");
        assertThat(env.get("XDG_CACHE_HOME")).startsWith("/tmp/");
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp").contains("-XX:MaxRAMPercentage=")
                .contains("-Dai.djl.offline=true");
        // These are only read: baked into the image, outside the /tmp emptyDir that would hide them.
        assertThat(env.get("PYTORCH_LIBRARY_PATH")).startsWith("/opt/");
        assertThat(env.get("ENGINE_CACHE_DIR")).startsWith("/opt/");
        assertThat(env.get("RUST_LIBRARY_PATH")).startsWith("/opt/");
        assertThat(image.all("COPY")).extracting(ParsedDockerfile.Instruction::arguments)
                .contains("--from=natives /opt/djl /opt/djl");
    }

    @Test
    void tunesLibtorchForSharedCpus() {
        Map<String, String> env = image.env();
        assertThat(env).containsEntry("OMP_WAIT_POLICY", "PASSIVE");
        assertThat(env.get("LD_PRELOAD")).endsWith("/libjemalloc.so.2");
        // Without this, jemalloc returns the step's buffers to the kernel and CPU steps ran 4x slower (benchmarks.md).
        assertThat(env.get("MALLOC_CONF")).isEqualTo("oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000");
        String installs = image.all("RUN").stream().map(ParsedDockerfile.Instruction::arguments)
                .collect(Collectors.joining("\n"));
        assertThat(installs).contains("libjemalloc2", "fontconfig", "fonts-dejavu-core", "--no-install-recommends")
                .contains("rm -rf /var/lib/apt/lists/*");
    }

    @Test
    void theImageDownloadsNothing() {
        for (ParsedDockerfile.Stage stage : List.of(image, dockerfile.stage("runtime-cpu"),
                dockerfile.stage("runtime-cu128"))) {
            assertThat(stage.instructions()).as("stage %s", stage.name())
                    .noneMatch(i -> i.keyword().equals("ADD"))
                    .noneMatch(i -> i.keyword().equals("RUN")
                            && i.arguments().matches("(?s).*\\b(curl|wget)\\b.*"));
        }
    }

    static String finalName() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(MODULE.resolve("pom.xml").toFile());
        Element build = (Element) pom.getDocumentElement().getElementsByTagName("build").item(0);
        return build.getElementsByTagName("finalName").item(0).getTextContent().strip();
    }

    static String property(Path pomFile, String name) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pomFile.toFile());
        Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties").item(0);
        return properties.getElementsByTagName(name).item(0).getTextContent().strip();
    }
}
