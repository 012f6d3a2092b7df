package dev.prefalign.operator.scheduling;

import dev.prefalign.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What admission decisions read besides the jobs: the budgets (the operator's cluster budget, and each namespace's
 * budget ConfigMap) and the values of PriorityClasses. Read from the API server at most every few seconds, so that a
 * thousand queued jobs do not each list them on every reconcile.
 */
@ApplicationScoped
public class ClusterBudgets {

    /** Label of a namespace's budget ConfigMap; its data maps a GPU resource name to a number of GPUs. */
    public static final String BUDGET_LABEL = "prefalign.dev/gpu-budget";
    private static final Logger LOG = Logger.getLogger(ClusterBudgets.class);
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Map<String, Integer> cluster;
    private final Set<String> namespaces;
    private Snapshot snapshot;

    private record Snapshot(GpuQueue.Budgets budgets, Map<String, Integer> priorities, Instant readAt) {
    }

    public ClusterBudgets(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.cluster = BudgetTexts.parse(config.scheduling().clusterBudget().orElse(""),
                "prefalign.operator.scheduling.cluster-budget");
        this.namespaces = config.watchedNamespaces().filter(n -> !n.isEmpty()).orElse(Set.of());
    }

    public synchronized GpuQueue.Budgets budgets() {
        return fresh().budgets();
    }

    /** The value of a PriorityClass; an empty or unknown name counts as the global default's value, else 0. */
    public synchronized int priority(String priorityClassName) {
        Map<String, Integer> priorities = fresh().priorities();
        String name = priorityClassName == null || priorityClassName.isEmpty() ? "" : priorityClassName;
        return priorities.getOrDefault(name, priorities.getOrDefault("", 0));
    }

    /** Forget what was read, so that the next decision reads the cluster again (a budget was just changed). */
    public synchronized void invalidate() {
        snapshot = null;
    }

    private Snapshot fresh() {
        Instant now = Instant.now();
        if (snapshot == null || snapshot.readAt().plus(FRESH_FOR).isBefore(now)) {
            snapshot = new Snapshot(new GpuQueue.Budgets(Map.copyOf(cluster), readNamespaceBudgets()),
                    readPriorities(), now);
        }
        return snapshot;
    }

    private Map<String, Map<String, Integer>> readNamespaceBudgets() {
        List<ConfigMap> maps = new ArrayList<>();
        if (namespaces.isEmpty()) {
            maps.addAll(client.configMaps().inAnyNamespace().withLabel(BUDGET_LABEL).list().getItems());
        } else {
            namespaces.forEach(ns -> maps.addAll(client.configMaps().inNamespace(ns).withLabel(BUDGET_LABEL).list()
                    .getItems()));
        }
        Map<String, Map<String, Integer>> budgets = new HashMap<>();
        for (ConfigMap map : maps) {
            String where = "ConfigMap " + map.getMetadata().getNamespace() + "/" + map.getMetadata().getName();
            try {
                budgets.computeIfAbsent(map.getMetadata().getNamespace(), ns -> new HashMap<>())
                        .putAll(BudgetTexts.parse(map.getData(), where));
            } catch (IllegalArgumentException e) {
                // A broken budget must not stop every namespace's jobs; this one is left unlimited, loudly.
                LOG.errorf("ignoring the GPU budget in %s", e.getMessage());
            }
        }
        return budgets;
    }

    private Map<String, Integer> readPriorities() {
        Map<String, Integer> values = new HashMap<>();
        try {
            for (PriorityClass pc : client.scheduling().v1().priorityClasses().list().getItems()) {
                values.put(pc.getMetadata().getName(), pc.getValue());
                if (Boolean.TRUE.equals(pc.getGlobalDefault())) {
                    values.put("", pc.getValue());
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read PriorityClasses (%s); every job counts as priority 0", e.getMessage());
        }
        return values;
    }
}
