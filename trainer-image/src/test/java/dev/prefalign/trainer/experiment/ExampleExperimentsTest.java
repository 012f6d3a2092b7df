package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every experiment in {@code examples/experiments/} is valid; the documented one expands as its comment says. */
class ExampleExperimentsTest {

    @Test
    void everyExampleExperimentPlans() throws Exception {
        Path folder = examples().resolve("experiments");
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(ExperimentPlan.of(ExperimentFiles.read(file), file.getParent()).runs()).as(file.toString())
                    .isNotEmpty();
        }
        // the runs the example's header comment announces
        ExperimentPlan dpoVsOrpo = ExperimentPlan.of(ExperimentFiles.read(folder.resolve(
                "dpo-vs-orpo-ultrafeedback.yaml")), null);
        assertThat(dpoVsOrpo.runs()).extracting(PlannedRun::name).containsExactly("dpo-vs-orpo-01-dpo-beta-0.05",
                "dpo-vs-orpo-02-dpo-beta-0.1", "dpo-vs-orpo-03-dpo-beta-0.5",
                "dpo-vs-orpo-04-orpo-lambda-0.1-lr-8.0e-6",
                "dpo-vs-orpo-05-orpo-lambda-0.5-lr-8.0e-6", "dpo-vs-orpo-06-dpo-losstype-ipo-beta-0.1");
        assertThat(dpoVsOrpo.runs().get(3).job().getSpec().getTraining().getLearningRate()).isEqualTo(8e-6);
    }

    private static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no examples/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("examples");
    }
}
