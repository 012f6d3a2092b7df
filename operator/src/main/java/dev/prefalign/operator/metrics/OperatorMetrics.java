package dev.prefalign.operator.metrics;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.Timestamps;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operator's own meters on /q/metrics. Job counts are gauges read from the controller's informer cache when
 * scraped, so they are right after a restart and never drift from the cluster; the timers and counters record
 * transitions that the reconciler writes into status, so each transition is counted once per operator process.
 */
@Startup
@ApplicationScoped
public class OperatorMetrics {

    public static final String JOBS = "prefalign.jobs";
    public static final String RUNNING_GPUS = "prefalign.jobs.running.gpus";
    public static final String TIME_TO_RUNNING = "prefalign.job.time.to.running";
    public static final String DURATION = "prefalign.job.duration";
    public static final String RESTARTS = "prefalign.job.restarts";
    public static final String STATUS_ERRORS = "prefalign.trainer.status.errors";

    private final MeterRegistry registry;
    private final Timer timeToRunning;
    private final Counter statusErrors;
    /** Set by the first reconcile; until then no job has been seen and every gauge reads 0. */
    private volatile ResourceCache<PreferenceAlignmentJob> cache;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Phase phase : Phase.values()) {
            for (Method method : Method.values()) {
                Gauge.builder(JOBS, () -> jobs().filter(j -> phaseOf(j) == phase)
                                .filter(j -> j.getSpec().getMethod() == method).count())
                        .description("PreferenceAlignmentJobs by status.phase and spec.method (from the informer cache)")
                        .tag("phase", phase.name()).tag("method", method.name())
                        .register(registry);
            }
        }
        Gauge.builder(RUNNING_GPUS, () -> jobs().filter(j -> phaseOf(j) == Phase.Running)
                        .mapToLong(j -> j.getSpec().getResources().getGpus()).sum())
                .description("GPUs requested by the jobs whose phase is Running")
                .register(registry);
        this.timeToRunning = Timer.builder(TIME_TO_RUNNING)
                .description("From the resource's creation to the reconcile that first saw it Running")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(6))
                .register(registry);
        this.statusErrors = Counter.builder(STATUS_ERRORS)
                .description("Polls of a running trainer's /status that got no usable answer")
                .register(registry);
    }

    /**
     * Removes this operator's meters when the application stops. The injected registry can outlive the application
     * (Quarkus' global composite, e.g. across restarts of a test application), and a gauge left there would keep
     * reading this instance's stale cache instead of the next one's.
     */
    @PreDestroy
    void close() {
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("prefalign."))
                .forEach(registry::remove);
    }

    /** Remembers the controller's cache of primary resources, which the gauges read. */
    public void watch(Context<PreferenceAlignmentJob> context) {
        if (cache == null) {
            cache = context.getPrimaryCache();
        }
    }

    /** Records what changed between the stored status and the one the reconciler is about to write. */
    public void observe(PreferenceAlignmentJob resource, PreferenceAlignmentJobStatus before,
            PreferenceAlignmentJobStatus after, Instant now) {
        String method = resource.getSpec().getMethod().name();
        Phase was = before == null ? null : before.getPhase();
        // Every entry into Running counts: after a resume the figure includes the time spent suspended.
        if (after.getPhase() == Phase.Running && was != Phase.Running) {
            instant(resource.getMetadata().getCreationTimestamp())
                    .ifPresent(created -> timeToRunning.record(nonNegative(Duration.between(created, now))));
        }
        if (after.getPhase().isTerminal() && (was == null || !was.isTerminal())) {
            Optional<Instant> start = instant(after.getStartTime())
                    .or(() -> instant(resource.getMetadata().getCreationTimestamp()));
            Optional<Instant> end = instant(after.getCompletionTime());
            if (start.isPresent() && end.isPresent()) {
                Timer.builder(DURATION)
                        .description("From the trainer's first start to the job's completion, by outcome")
                        .tag("method", method).tag("phase", after.getPhase().name())
                        .register(registry)
                        .record(nonNegative(Duration.between(start.get(), end.get())));
            }
        }
        int restartsBefore = before == null || before.getRestarts() == null ? 0 : before.getRestarts();
        int restartsAfter = after.getRestarts() == null ? 0 : after.getRestarts();
        if (restartsAfter > restartsBefore) {
            Counter.builder(RESTARTS).description("Trainer container restarts seen in status.restarts")
                    .tag("method", method).register(registry).increment(restartsAfter - restartsBefore);
        }
    }

    /** A trainer's /status could not be read (no answer, an error code, or a body that is not its report). */
    public void statusObservationFailed() {
        statusErrors.increment();
    }

    private Stream<PreferenceAlignmentJob> jobs() {
        ResourceCache<PreferenceAlignmentJob> current = cache;
        return current == null ? Stream.empty() : current.list();
    }

    private static Phase phaseOf(PreferenceAlignmentJob job) {
        return Phase.of(job.getStatus());
    }

    private static Optional<Instant> instant(String timestamp) {
        return Timestamps.parse(timestamp);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
