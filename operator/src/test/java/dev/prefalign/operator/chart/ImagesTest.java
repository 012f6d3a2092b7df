package dev.prefalign.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images cannot be built here (no Docker engine), so their Dockerfiles are checked against what the
 * operator and the chart expect of them: the user the Pods run as, a writable /tmp under a read-only root, the
 * entrypoints, and the image names the chart, the operator's default and the release workflow use.
 */
class ImagesTest {

    static final Path ROOT = Path.of("..");
    static final Path OPERATOR_DOCKERFILE = ROOT.resolve("operator/src/main/docker/Dockerfile.jvm");
    static final Path TRAINER_DOCKERFILE = ROOT.resolve("trainer-image/Dockerfile");
    static final Path WORKFLOW = ROOT.resolve(".github/workflows/images.yml");

    @TempDir
    Path tmp;

    @Test
    void operatorImageRunsAsTheChartsUserWithItsTempFilesUnderTmp() throws IOException {
        PodSpec pod = RenderedChart.render(tmp, "").one(Deployment.class).getSpec().getTemplate().getSpec();
        Stage image = lastStage(OPERATOR_DOCKERFILE);

        assertThat(image.user()).as("USER of %s", OPERATOR_DOCKERFILE)
                .isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getEmptyDir()).isNotNull();
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getName() + m.getMountPath()).isEqualTo(v.getName() + "/tmp"));
        });
        assertThat(image.env()).containsEntry("HOME", "/tmp");
        assertThat(image.env().get("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp")
                .contains("-XX:MaxRAMPercentage=");
        assertThat(image.all("EXPOSE")).containsExactly(
                String.valueOf(pod.getContainers().get(0).getPorts().get(0).getContainerPort()));
    }

    @Test
    void operatorImageHoldsQuarkusFastJarAndRunsIt() throws IOException {
        Stage image = lastStage(OPERATOR_DOCKERFILE);
        assertThat(image.all("COPY")).containsExactly(
                "target/quarkus-app/lib/ /deployments/lib/",
                "target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar",
                "target/quarkus-app/app/ /deployments/app/",
                "target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(image.entrypoint()).containsExactly("java", "-jar", "/deployments/quarkus-run.jar");
        assertThat(image.all("RUN")).as("nothing to install, nothing to download").isEmpty();
    }

    @Test
    void trainerImageRunsAsTheOperatorsDefaultRunAsUser() throws Exception {
        String operatorDefault = OperatorConfig.Trainer.class.getMethod("runAsUser")
                .getAnnotation(WithDefault.class).value();
        assertThat(lastStage(TRAINER_DOCKERFILE).user()).as("USER of %s", TRAINER_DOCKERFILE)
                .isEqualTo(operatorDefault + ":" + operatorDefault);
    }

    @Test
    void workflowPublishesTheImagesUnderTheNamesTheChartAndTheOperatorUse() throws IOException {
        String chartImage = RenderedChart.render(tmp, "").one(Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
        String operatorRepository = chartImage.substring(0, chartImage.lastIndexOf(':'));
        Properties properties = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("operator/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String trainerDefault = properties.getProperty("prefalign.operator.trainer.image");
        String trainerRepository = trainerDefault.substring(0, trainerDefault.lastIndexOf(':'));

        String workflow = Files.readString(WORKFLOW);
        assertThat(workflow).contains("OPERATOR_IMAGE: " + operatorRepository)
                .contains("TRAINER_IMAGE: " + trainerRepository)
                .contains("file: trainer-image/Dockerfile").contains("file: operator/src/main/docker/Dockerfile.jvm")
                .contains("FLAVOR=cpu").contains("FLAVOR=cu128")
                .contains("sbom: true").contains("provenance: mode=max");
        String docs = Files.readString(ROOT.resolve("docs/images.md"));
        assertThat(docs).contains(operatorRepository, trainerRepository);
    }

    // ---- a Dockerfile read as far as these checks need: comments dropped, continuations joined ----

    record Stage(List<String[]> instructions) {

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }

        String user() {
            List<String> users = all("USER");
            return users.isEmpty() ? null : users.get(users.size() - 1).strip();
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
            for (String arguments : all("ENV")) {
                Matcher m = pair.matcher(arguments);
                while (m.find()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
            return env;
        }

        List<String> entrypoint() throws IOException {
            List<String> entrypoints = all("ENTRYPOINT");
            return new ObjectMapper().readValue(entrypoints.get(entrypoints.size() - 1),
                    new TypeReference<List<String>>() { });
        }
    }

    static Stage lastStage(Path dockerfile) throws IOException {
        List<String[]> stage = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            String[] parts = pending.append(stripped).toString().strip().split("\\s+", 2);
            pending.setLength(0);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage = new ArrayList<>();
            }
            stage.add(new String[] {keyword, parts.length == 2 ? parts[1] : ""});
        }
        return new Stage(stage);
    }
}
