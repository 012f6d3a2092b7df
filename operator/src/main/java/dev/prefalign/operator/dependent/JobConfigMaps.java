package dev.prefalign.operator.dependent;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The resolved spec as the manifest the trainer reads from /config/job.yaml (same format as a local run). */
public final class JobConfigMaps {

    private JobConfigMaps() {
    }

    public static ConfigMap desired(PreferenceAlignmentJob job) {
        return new ConfigMapBuilder()
                .withMetadata(ChildResources.metadata(job, ChildResources.configMapName(job), "config"))
                .addToData(ChildResources.CONFIG_FILE, JobManifests.toYaml(job))
                .build();
    }
}
