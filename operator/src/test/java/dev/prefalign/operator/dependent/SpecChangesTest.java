package dev.prefalign.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.TestJobs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

class SpecChangesTest {

    private static final PreferenceAlignmentJob CREATED = TestJobs.dpo("run", "team");
    private static final ConfigMap RECORDED = JobConfigMaps.desired(CREATED);

    private static PreferenceAlignmentJob edited() {
        return TestJobs.dpo("run", "team");
    }

    @Test
    void theSpecTheJobWasCreatedWithHasNoChanges() {
        assertThat(SpecChanges.sinceCreated(RECORDED, edited())).isEmpty();
    }

    @Test
    void suspendAndTtlMayChange() {
        PreferenceAlignmentJob job = edited();
        job.getSpec().getRunPolicy().setSuspend(true);
        job.getSpec().getRunPolicy().setTtlSecondsAfterFinished(3600L);
        assertThat(SpecChanges.sinceCreated(RECORDED, job)).isEmpty();
    }

    @Test
    void namesEveryFrozenFieldThatChanged() {
        PreferenceAlignmentJob job = edited();
        job.getSpec().getTraining().setLearningRate(job.getSpec().getTraining().getLearningRate() * 10);
        job.getSpec().getDpo().setBeta(0.5);
        job.getSpec().getRunPolicy().setBackoffLimit(7);
        job.getSpec().setImage("registry.example/trainer:other");
        assertThat(SpecChanges.sinceCreated(RECORDED, job))
                .containsExactly("spec.dpo", "spec.training", "spec.image", "spec.runPolicy.backoffLimit");
    }

    @Test
    void aConfigMapThatIsNotAManifestIsNotJudged() {
        ConfigMap foreign = new ConfigMapBuilder(RECORDED).withData(java.util.Map.of("job.yaml", "not: [a, job")).build();
        assertThat(SpecChanges.sinceCreated(foreign, edited())).isEmpty();
        ConfigMap empty = new ConfigMapBuilder(RECORDED).withData(null).build();
        assertThat(SpecChanges.sinceCreated(empty, edited())).isEmpty();
    }
}
