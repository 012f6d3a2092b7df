package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a measurement of the operator against the mock API server, kept out of the normal build by its name
 * (Surefire runs *Test classes only). Run it with
 * {@code mvn -o -q -B -pl operator -am test -Dtest=OperatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints its figures and writes them to operator/target/operator-benchmark.txt. Set -Dprefalign.bench.jobs=N
 * for another count than 1,000.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorBenchmark {

    private static final String NAMESPACE = "bench";

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void thousandJobs() throws Exception {
        int count = Integer.getInteger("prefalign.bench.jobs", 1000);
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        Map<String, Long> jobSeenAt = new ConcurrentHashMap<>();
        // The trainer Jobs are watched, so that each one's arrival is timed against its resource's creation.
        try (Watch watch = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    jobSeenAt.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String name = "job-%04d".formatted(i);
                client.resource(TestJobs.minimal(name, NAMESPACE)).create();
                createdAt.put(name, System.nanoTime());
            }
            long created = System.nanoTime();
            long allJobs = waitUntil(() -> jobSeenAt.size() >= count);
            long allQueued = waitUntil(() -> client.resources(PreferenceAlignmentJob.class).inNamespace(NAMESPACE)
                    .list().getItems().stream()
                    .filter(j -> j.getStatus() != null && j.getStatus().getPhase() == Phase.Queued).count() >= count);

            assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(count);
            assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).hasSize(count);
            assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).hasSize(count);

            double[] toJob = createdAt.entrySet().stream()
                    .mapToDouble(e -> (jobSeenAt.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
            // JOSDK times every reconcile (dependents and status) in one timer per resource: each job's mean.
            Collection<Timer> perJob = registry.find("operator.sdk.controllers.execution.reconcile")
                    .tag("resource.namespace", NAMESPACE).timers();
            double[] reconcile = perJob.stream().filter(t -> t.count() > 0)
                    .mapToDouble(t -> t.mean(TimeUnit.MILLISECONDS)).sorted().toArray();
            long reconciles = perJob.stream().mapToLong(Timer::count).sum();

            StringBuilder report = new StringBuilder();
            report.append("jobs: %d%n".formatted(count));
            report.append("creating the resources (one client, sequential): %.1f s%n".formatted(
                    seconds(created - start)));
            report.append("until all %d trainer Jobs exist: %.1f s%n".formatted(count, seconds(allJobs - start)));
            report.append("until all statuses read Queued: %.1f s%n".formatted(seconds(allQueued - start)));
            report.append("resource created -> its Job seen, ms: p50 %.0f, p90 %.0f, p99 %.0f, max %.0f%n".formatted(
                    percentile(toJob, 0.5), percentile(toJob, 0.9), percentile(toJob, 0.99), toJob[toJob.length - 1]));
            report.append("reconciles: %d; per-job mean reconcile time, ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n"
                    .formatted(reconciles, percentile(reconcile, 0.5), percentile(reconcile, 0.9),
                            percentile(reconcile, 0.99), reconcile[reconcile.length - 1]));
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            report.append("heap used after GC (operator, test client and mock API server in one JVM): %.0f MiB%n"
                    .formatted(heap / 1048576.0));
            report.append("available processors: %d, max heap: %.0f MiB%n".formatted(
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1048576.0));
            String text = report.toString();
            System.out.println(text);
            Files.writeString(Path.of("target", "operator-benchmark.txt"), text);
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 8 minutes");
            }
            Thread.sleep(250);
        }
        return System.nanoTime();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
