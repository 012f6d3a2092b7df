package dev.prefalign.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.experiment.ExperimentPlans;
import dev.prefalign.operator.experiment.ExperimentResults;
import dev.prefalign.operator.gitops.ArgoCdHealth.Health;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's health check, applied to PreferenceAlignmentExperiments with the statuses the operator writes. */
class ExperimentArgoCdHealthTest {

    private static final ArgoCdHealth HEALTH = ArgoCdHealth.load();

    private static PreferenceAlignmentExperiment experiment(String grid) {
        PreferenceAlignmentExperiment experiment = Serialization.unmarshal("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentExperiment
                metadata: {name: exp, namespace: ns, uid: u1, generation: 1}
                spec:
                  base:
                    method: DPO
                    model: {source: hf://HuggingFaceTB/SmolLM2-135M-Instruct}
                    dataset: {source: pvc://team-data/prefs}
                  grid: %s
                """.formatted(grid), PreferenceAlignmentExperiment.class);
        return experiment;
    }

    private static PreferenceAlignmentJob run(String name, Phase phase) {
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        job.setStatus(new PreferenceAlignmentJobStatus());
        job.getStatus().setPhase(phase);
        job.getStatus().setMessage(phase == Phase.Failed ? "out of memory" : "");
        return job;
    }

    private static Health health(PreferenceAlignmentExperiment experiment, Map<String, PreferenceAlignmentJob> runs) {
        experiment.setStatus(ExperimentResults.compute(experiment, ExperimentPlans.of(experiment), runs,
                Instant.parse("2026-11-26T12:00:00Z")));
        return HEALTH.of(Serialization.jsonMapper().valueToTree(experiment));
    }

    @Test
    void runningSucceededFailedAndInvalidExperiments() {
        PreferenceAlignmentExperiment exp = experiment("{dpo.beta: [0.1, 0.5]}");
        Map<String, PreferenceAlignmentJob> runs = new LinkedHashMap<>();
        runs.put("exp-01-dpo-beta-0.1", run("exp-01-dpo-beta-0.1", Phase.Running));
        assertThat(health(exp, runs)).isEqualTo(new Health("Progressing", "Running: 0 of 2 runs succeeded, 0 failed, "
                + "1 running, 1 waiting (maxConcurrent 1)."));

        runs.put("exp-01-dpo-beta-0.1", run("exp-01-dpo-beta-0.1", Phase.Succeeded));
        runs.put("exp-02-dpo-beta-0.5", run("exp-02-dpo-beta-0.5", Phase.Succeeded));
        assertThat(health(exp, runs)).isEqualTo(new Health("Healthy", "All 2 runs succeeded."));

        runs.put("exp-02-dpo-beta-0.5", run("exp-02-dpo-beta-0.5", Phase.Failed));
        assertThat(health(exp, runs)).isEqualTo(new Health("Degraded",
                "1 of 2 runs failed: exp-02-dpo-beta-0.5: out of memory"));

        Health invalid = health(experiment("{dpo.beta: [high]}"), Map.of());
        assertThat(invalid.status()).isEqualTo("Degraded");
        assertThat(invalid.message()).contains("spec.dpo.beta");
    }
}
