package dev.prefalign.operator.scheduling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Meters of the operator's GPU admission (budgets mode), as of its latest decision. */
@ApplicationScoped
public class SchedulingMetrics {

    public static final String QUEUE_LENGTH = "prefalign.queue.length";
    public static final String ADMITTED_GPUS = "prefalign.budget.admitted.gpus";
    public static final String BUDGET_GPUS = "prefalign.budget.gpus";
    public static final String WAIT = "prefalign.queue.wait";
    public static final String PREEMPTIONS = "prefalign.preemptions";
    /** The scope tag of the cluster budget; a namespace budget's scope is the namespace. */
    public static final String CLUSTER = "cluster";

    private final MeterRegistry registry;
    private final AtomicInteger queueLength = new AtomicInteger();
    private final Map<String, AtomicInteger> admitted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> budget = new ConcurrentHashMap<>();
    private final Timer wait;
    private final Counter preemptions;

    public SchedulingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(QUEUE_LENGTH, queueLength, AtomicInteger::get)
                .description("Jobs waiting for GPUs under the operator's budgets (including those that can never fit)")
                .register(registry);
        this.wait = Timer.builder(WAIT).description("From a job's creation to its admission under the budgets")
                .register(registry);
        this.preemptions = Counter.builder(PREEMPTIONS)
                .description("Running jobs the operator suspended for a job of higher priority").register(registry);
    }

    void queueLength(int waiting) {
        queueLength.set(waiting);
    }

    /**
     * GPUs held by admitted jobs and the budgets, per budget: {@code scope} is {@value #CLUSTER} or the namespace.
     *
     * @param held   scope -> resource name -> GPUs held
     * @param limits scope -> resource name -> budget
     */
    void usage(Map<String, Map<String, Integer>> held, Map<String, Map<String, Integer>> limits) {
        admitted.forEach((key, value) -> value.set(0));
        held.forEach((scope, byResource) -> byResource.forEach((resource, gpus) -> gauge(admitted, ADMITTED_GPUS,
                scope, resource, "GPUs held by jobs the budgets admitted, per budget and resource name").set(gpus)));
        limits.forEach((scope, byResource) -> byResource.forEach((resource, gpus) -> gauge(budget, BUDGET_GPUS,
                scope, resource, "The budgets, per scope (cluster or namespace) and resource name").set(gpus)));
    }

    void admitted(Duration waited) {
        wait.record(waited);
    }

    void preempted() {
        preemptions.increment();
    }

    private AtomicInteger gauge(Map<String, AtomicInteger> gauges, String name, String scope, String resource,
            String description) {
        return gauges.computeIfAbsent(scope + "\u0000" + resource, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(description).tag("scope", scope)
                    .tag("resource", resource).register(registry);
            return value;
        });
    }
}
