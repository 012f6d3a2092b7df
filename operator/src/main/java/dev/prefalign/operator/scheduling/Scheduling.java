package dev.prefalign.operator.scheduling;

import dev.prefalign.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The scheduling mode in effect, resolved once: {@code prefalign.operator.scheduling.mode}, where {@code auto} looks
 * for Kueue's Workload CRD. Resolved on first use rather than at start-up so that tests and a restarted operator see
 * the same cluster state the decision depends on.
 */
@ApplicationScoped
public class Scheduling {

    private static final Logger LOG = Logger.getLogger(Scheduling.class);
    static final String KUEUE_WORKLOAD_CRD = "workloads.kueue.x-k8s.io";

    private final OperatorConfig config;
    private final KubernetesClient client;
    private volatile SchedulingMode resolved;

    public Scheduling(OperatorConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
    }

    public SchedulingMode mode() {
        SchedulingMode mode = resolved;
        if (mode == null) {
            mode = resolve();
            resolved = mode;
            LOG.infof("scheduling mode: %s (configured: %s)", mode, config.scheduling().mode());
        }
        return mode;
    }

    private SchedulingMode resolve() {
        SchedulingMode configured = config.scheduling().mode();
        if (configured != SchedulingMode.AUTO) {
            return configured;
        }
        try {
            boolean kueue = client.apiextensions().v1().customResourceDefinitions().withName(KUEUE_WORKLOAD_CRD)
                    .get() != null;
            return kueue ? SchedulingMode.KUEUE : SchedulingMode.BUDGETS;
        } catch (KubernetesClientException e) {
            // Without the right to read CRDs the operator cannot tell; its own budgets are the safe default.
            LOG.warnf("cannot tell whether Kueue is installed (%s); using GPU budgets. Set "
                    + "prefalign.operator.scheduling.mode to choose.", e.getMessage());
            return SchedulingMode.BUDGETS;
        }
    }
}
