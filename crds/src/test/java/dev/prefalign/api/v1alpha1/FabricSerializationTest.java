package dev.prefalign.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import dev.prefalign.api.v1alpha1.status.CheckpointRef;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.api.v1alpha1.status.Progress;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The types as the operator sees them: (de)serialised by Fabric8, as they come from and go to the API server. */
class FabricSerializationTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void aResourceFromTheApiServerHasEverySectionEvenWhenLeftOut() {
        PreferenceAlignmentJob job = serialization.unmarshal("""
                {"apiVersion": "prefalign.dev/v1alpha1", "kind": "PreferenceAlignmentJob",
                 "metadata": {"name": "j", "namespace": "ml", "generation": 2},
                 "spec": {"method": "ORPO", "model": {"source": "hf://m/m"},
                          "dataset": {"source": "hf://datasets/d/d", "format": "conversational"},
                          "orpo": {"lambda": 0.5}}}""", PreferenceAlignmentJob.class);

        assertThat(job.getSpec().getMethod()).isEqualTo(Method.ORPO);
        assertThat(job.getSpec().getOrpo().getLambda()).isEqualTo(0.5);
        assertThat(job.getSpec().getDataset().getFormat().name()).isEqualTo("CONVERSATIONAL");
        assertThat(job.getSpec().getTraining()).isEqualTo(new TrainingSpec());
        assertThat(job.getSpec().getDpo()).isNotNull();
        assertThat(job.getSpec().getResources().getTolerations()).isEmpty();
        assertThat(job.getStatus()).isNull();
        assertThat(job.getCRDName()).isEqualTo("preferencealignmentjobs.prefalign.dev");
    }

    @Test
    void statusRoundTripsWithPhasesAsWrittenAndTrlMetricNames() {
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.getMetadata().setName("j");
        job.getSpec().setMethod(Method.DPO);
        PreferenceAlignmentJobStatus status = new PreferenceAlignmentJobStatus();
        status.setObservedGeneration(3L);
        status.setPhase(Phase.Running);
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False")
                .withReason("Training").withObservedGeneration(3L).build()));
        status.setRestarts(1);
        Progress progress = new Progress();
        progress.setStep(120);
        progress.setTotalSteps(1000);
        progress.setEpoch(0.12);
        progress.setPercent(12.0);
        progress.setTokensPerSecond(5400.5);
        status.setProgress(progress);
        status.setMetrics(Map.of("loss", 0.61, "rewards/accuracies", 0.7, "eval_rewards/margins", 0.4));
        status.setCheckpoints(List.of(new CheckpointRef(100, "/workspace/checkpoints/step-100",
                "2025-01-01T00:00:00Z")));
        job.setStatus(status);

        String json = serialization.asJson(job);
        PreferenceAlignmentJob back = serialization.unmarshal(json, PreferenceAlignmentJob.class);

        assertThat(json).contains("\"phase\":\"Running\"").contains("\"rewards/accuracies\":0.7")
                .doesNotContain("etaSeconds");
        assertThat(back.getStatus()).isEqualTo(status);
        assertThat(back.getSpec()).isEqualTo(job.getSpec());
    }

    @Test
    void onlySucceededAndFailedAreTerminal() {
        assertThat(List.of(Phase.values())).filteredOn(Phase::isTerminal)
                .containsExactly(Phase.Succeeded, Phase.Failed);
    }
}
