package dev.prefalign.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.testkit.ParsedDockerfile;
import dev.prefalign.testkit.ParsedDockerfile.Stage;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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
        Stage image = ParsedDockerfile.read(OPERATOR_DOCKERFILE).finalStage();

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
        assertThat(image.arguments("EXPOSE")).containsExactly(
                String.valueOf(pod.getContainers().get(0).getPorts().get(0).getContainerPort()));
    }

    @Test
    void operatorImageHoldsQuarkusFastJarAndRunsIt() throws IOException {
        Stage image = ParsedDockerfile.read(OPERATOR_DOCKERFILE).finalStage();
        assertThat(image.arguments("COPY")).containsExactly(
                "target/quarkus-app/lib/ /deployments/lib/",
                "target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar",
                "target/quarkus-app/app/ /deployments/app/",
                "target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(image.entrypoint()).containsExactly("java", "-jar", "/deployments/quarkus-run.jar");
        assertThat(image.arguments("RUN")).as("nothing to install, nothing to download").isEmpty();
    }

    @Test
    void trainerImageRunsAsTheOperatorsDefaultRunAsUser() throws Exception {
        String operatorDefault = OperatorConfig.Trainer.class.getMethod("runAsUser")
                .getAnnotation(WithDefault.class).value();
        assertThat(ParsedDockerfile.read(TRAINER_DOCKERFILE).finalStage().user()).as("USER of %s", TRAINER_DOCKERFILE)
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
}
