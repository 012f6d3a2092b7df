package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names, labels and ownership of everything the operator creates for a job: written once, here. */
public final class ChildResources {

    /** Label on every child (and the trainer Pods) naming the PreferenceAlignmentJob it belongs to. */
    public static final String JOB_LABEL = "prefalign.dev/job";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "prefalign-operator";
    /** Selects exactly the objects this operator made, so its informers cache nothing else of the cluster. */
    public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
    /** Kueue's queue label: copied from the resource to its Job so that Kueue queues the Job. */
    public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    /** Kueue's WorkloadPriorityClass of a job, copied from the resource like the queue name. */
    public static final String KUEUE_PRIORITY_LABEL = "kueue.x-k8s.io/priority-class";

    /** Name of the trainer container in the Pod (the podFailurePolicy and the status reader refer to it). */
    public static final String TRAINER_CONTAINER = "trainer";
    /** Name of the init container that downloads hf:// sources. */
    public static final String FETCH_CONTAINER = "fetch";
    /** Name of the trainer container's port serving /status. */
    public static final String STATUS_PORT_NAME = "status";
    /** The trainer's default /status port (its --status-port default). */
    public static final int STATUS_PORT = 8080;

    /** Where the job's volume is mounted; the trainer's work dir. */
    public static final String WORKSPACE = "/workspace";
    /** Where the ConfigMap with the resolved spec is mounted. */
    public static final String CONFIG_DIR = "/config";
    public static final String CONFIG_FILE = "job.yaml";
    /** Parent of the read-only mounts of claims named by pvc:// sources (the trainer's default PREFALIGN_PVC_ROOT). */
    public static final String PVC_ROOT = "/mnt/pvc";
    public static final String TERMINATION_LOG = "/dev/termination-log";

    private ChildResources() {
    }

    /** The trainer Job is named after the resource, so {@code kubectl get job <name>} finds it. */
    public static String jobName(PreferenceAlignmentJob job) {
        return job.getMetadata().getName();
    }

    public static String configMapName(PreferenceAlignmentJob job) {
        return job.getMetadata().getName() + "-config";
    }

    /**
     * The claim the trainer works on: spec.storage.existingClaim, else one named after the resource (what
     * {@code pvc://<job name>/output} in a later job refers to).
     */
    public static String claimName(PreferenceAlignmentJob job) {
        String existing = job.getSpec().getStorage().getExistingClaim();
        return existing == null || existing.isBlank() ? job.getMetadata().getName() : existing;
    }

    public static boolean createsOwnClaim(PreferenceAlignmentJob job) {
        String existing = job.getSpec().getStorage().getExistingClaim();
        return existing == null || existing.isBlank();
    }

    /** The recommended app.kubernetes.io labels plus {@value #JOB_LABEL}. */
    public static Map<String, String> labels(PreferenceAlignmentJob job, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "prefalign");
        labels.put("app.kubernetes.io/instance", job.getMetadata().getName());
        labels.put("app.kubernetes.io/component", component);
        labels.put("app.kubernetes.io/part-of", "prefalign");
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(JOB_LABEL, job.getMetadata().getName());
        return labels;
    }

    /** Metadata of a child: name, namespace, labels, and the resource as its controlling owner. */
    public static ObjectMeta metadata(PreferenceAlignmentJob job, String name, String component) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels(job, component))
                .withOwnerReferences(controllerReference(job))
                .build();
    }

    /**
     * Controller reference with blockOwnerDeletion: the API server's garbage collector deletes the children with the
     * resource (foreground deletion waits for them). JOSDK's own reference leaves both flags unset.
     */
    public static OwnerReference controllerReference(HasMetadata job) {
        return new OwnerReferenceBuilder()
                .withApiVersion(job.getApiVersion())
                .withKind(job.getKind())
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
