package dev.prefalign.operator;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** PreferenceAlignmentJobs for tests, written as users write them. */
public final class TestJobs {

    private TestJobs() {
    }

    /** A DPO job on Hub sources with a token Secret, a Kueue queue, GPU placement and a deadline. */
    public static PreferenceAlignmentJob dpo(String name, String namespace) {
        return parse("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    kueue.x-k8s.io/queue-name: team-a
                spec:
                  method: DPO
                  model:
                    source: hf://HuggingFaceTB/SmolLM2-135M-Instruct
                    tokenSecretRef: {name: hf-token, key: token}
                  dataset:
                    source: hf://datasets/trl-lib/ultrafeedback_binarized
                    split: train
                  training:
                    maxSteps: 8
                  checkpoints:
                    everySteps: 2
                    keep: 2
                  storage:
                    size: 50Gi
                    storageClassName: fast-ssd
                  resources:
                    gpus: 2
                    gpuResourceName: amd.com/gpu
                    cpu: "6"
                    memory: 48Gi
                    nodeSelector: {pool: gpu}
                    tolerations:
                    - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
                    priorityClassName: training-low
                  runPolicy:
                    backoffLimit: 5
                    activeDeadlineSeconds: 86400
                    ttlSecondsAfterFinished: 3600
                """.formatted(name, namespace));
    }

    /** The smallest valid job: ORPO, defaults everywhere. */
    public static PreferenceAlignmentJob minimal(String name, String namespace) {
        return parse("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  method: ORPO
                  model:
                    source: hf://Qwen/Qwen2.5-0.5B-Instruct
                  dataset:
                    source: pvc://team-data/prefs
                """.formatted(name, namespace));
    }

    public static PreferenceAlignmentJob parse(String yaml) {
        try {
            return JobManifests.parse(yaml, "test manifest");
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The StorageClass that {@link #dpo} names, as a cluster that offers it has (the operator checks it exists). */
    static void ensureStorageClass(KubernetesClient client, String name) {
        if (client.storage().v1().storageClasses().withName(name).get() == null) {
            client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(name)
                    .endMetadata().withProvisioner("example.com/ssd").build()).create();
        }
    }
}
