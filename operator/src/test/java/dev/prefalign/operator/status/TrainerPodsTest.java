package dev.prefalign.operator.status;

import static dev.prefalign.operator.status.ClusterObjects.ended;
import static dev.prefalign.operator.status.ClusterObjects.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerPodsTest {

    @Test
    void explainsAFailureByTheTrainersErrorLineElseTheLastLine() {
        assertThat(TrainerPods.explain("a\nerror: first\nb\nerror: second (spec.model.source)\n  at x\n"))
                .isEqualTo("error: second (spec.model.source)");
        assertThat(TrainerPods.explain("Exception in thread main\n  at Foo.bar\nKilled\n")).isEqualTo("Killed");
        assertThat(TrainerPods.explain(null)).isEmpty();
        assertThat(TrainerPods.explain("x".repeat(5000))).hasSize(TrainerPods.MAX_MESSAGE);
    }

    @Test
    void readsTheNewestSummaryAndIgnoresTextThatIsNone() {
        String older = "{\"state\":\"Interrupted\",\"steps\":2,\"totalSteps\":8}";
        String newer = "{\"state\":\"Succeeded\",\"steps\":8,\"totalSteps\":8,\"futureField\":[1]}";
        assertThat(TrainerPods.lastSummary(List.of(ended("b", 9, 0, newer), ended("a", 1, 3, older))))
                .hasValueSatisfying(s -> assertThat(s.steps()).isEqualTo(8));
        assertThat(TrainerPods.lastSummary(List.of(ended("a", 1, 1, "Segmentation fault")))).isEmpty();
        assertThat(TrainerJson.report("{\"step\":1}")).as("no phase: not a status document").isEmpty();
        assertThat(TrainerJson.summary("{not json")).isEmpty();
    }

    @Test
    void findsTheActivePodAndItsStatusPort() {
        var active = running("b", 9);
        assertThat(TrainerPods.active(List.of(ended("a", 1, 3, ""), active))).contains(active);
        assertThat(TrainerPods.statusPort(active)).isEqualTo(8080);
        active.getSpec().getContainers().get(0).getPorts().add(new ContainerPortBuilder().withName("status")
                .withContainerPort(18080).build());
        assertThat(TrainerPods.statusPort(active)).isEqualTo(18080);
    }

    @Test
    void mapsWorkspacePathsToPvcSources() {
        assertThat(WorkspacePaths.toSource("/workspace/output", "c")).isEqualTo("pvc://c/output");
        assertThat(WorkspacePaths.toSource("/workspace", "c")).isEqualTo("pvc://c/");
        assertThat(WorkspacePaths.toSource("/workspaces/x", "c")).isEqualTo("/workspaces/x");
        assertThat(WorkspacePaths.toSource(null, "c")).isNull();
    }
}
