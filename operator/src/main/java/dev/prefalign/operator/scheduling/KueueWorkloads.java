package dev.prefalign.operator.scheduling;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kueue's own account of why a Job waits, read from the Workload it made for the Job (found by Kueue's
 * {@code kueue.x-k8s.io/job-uid} label): an eviction (preemption) first, else why quota is not reserved or the
 * workload not admitted. Best effort: without the right to read Workloads, or without Kueue, there is none.
 */
public final class KueueWorkloads {

    /** Named in full, so that no API discovery is needed to read them. */
    public static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withKind("Workload").withPlural("workloads")
            .withNamespaced(true).build();
    public static final String JOB_UID_LABEL = "kueue.x-k8s.io/job-uid";

    private KueueWorkloads() {
    }

    public static Optional<String> reason(KubernetesClient client, Job job) {
        List<GenericKubernetesResource> workloads;
        try {
            workloads = client.genericKubernetesResources(WORKLOADS)
                    .inNamespace(job.getMetadata().getNamespace())
                    .withLabel(JOB_UID_LABEL, job.getMetadata().getUid()).list().getItems();
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
        return workloads.stream().findFirst().flatMap(KueueWorkloads::reason);
    }

    /** The sentence for people: Kueue's condition reason and message. */
    @SuppressWarnings("unchecked")
    static Optional<String> reason(GenericKubernetesResource workload) {
        Object status = workload.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        List<Map<String, Object>> list = (List<Map<String, Object>>) conditions;
        return condition(list, "Evicted", "True").map(c -> "evicted by Kueue (" + c.get("reason") + "): "
                        + c.get("message"))
                .or(() -> condition(list, "QuotaReserved", "False").map(c -> String.valueOf(c.get("message"))))
                .or(() -> condition(list, "Admitted", "False").map(c -> String.valueOf(c.get("message"))));
    }

    private static Optional<Map<String, Object>> condition(List<Map<String, Object>> conditions, String type,
            String status) {
        return conditions.stream().filter(c -> type.equals(c.get("type")) && status.equals(c.get("status")))
                .findFirst();
    }
}
