package dev.prefalign.operator.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentExperiment;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.dependent.ChildResources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The PreferenceAlignmentJob of one run: owned by the experiment, so deleting the experiment deletes its jobs. */
public final class RunJobs {

    /** Labels that steer queueing (Kueue's queue and priority) apply to every run of the experiment. */
    private static final String KUEUE_PREFIX = "kueue.x-k8s.io/";

    private RunJobs() {
    }

    public static PreferenceAlignmentJob desired(PreferenceAlignmentExperiment experiment, PlannedRun run) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> experimentLabels = experiment.getMetadata().getLabels();
        if (experimentLabels != null) {
            experimentLabels.forEach((key, value) -> {
                if (key.startsWith(KUEUE_PREFIX)) {
                    labels.put(key, value);
                }
            });
        }
        labels.putAll(run.job().getMetadata().getLabels()); // the planner's, with the experiment label
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.setMetadata(new ObjectMetaBuilder()
                .withName(run.name())
                .withNamespace(experiment.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(ChildResources.controllerReference(experiment))
                .build());
        job.setSpec(run.job().getSpec());
        return job;
    }

    /** Whether the job was made by this experiment (not by an earlier experiment of the same name). */
    public static boolean ownedBy(PreferenceAlignmentJob job, PreferenceAlignmentExperiment experiment) {
        return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> experiment.getMetadata().getUid() != null
                        && experiment.getMetadata().getUid().equals(o.getUid()));
    }
}
