package dev.prefalign.operator.scheduling;

import com.sun.management.ThreadMXBean;
import dev.prefalign.operator.scheduling.GpuQueue.Budgets;
import dev.prefalign.operator.scheduling.GpuQueue.Candidate;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the cost of one admission decision over 1,000 queued jobs (10 namespaces with budgets, 4 priorities,
 * 32 GPUs in use, preemption on), kept out of the normal build by its name. Run it with
 * {@code mvn -o -q -B -pl operator -am test -Dtest=AdmissionBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints its figures and writes them to operator/target/admission-benchmark.txt. -Dprefalign.bench.jobs=N sets
 * another count.
 */
class AdmissionBenchmark {

    @Test
    void thousandQueuedJobs() throws IOException {
        int queued = Integer.getInteger("prefalign.bench.jobs", 1000);
        Random random = new Random(42);
        List<Candidate> jobs = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-26T00:00:00Z");
        for (int i = 0; i < 16; i++) {
            jobs.add(new Candidate("team-" + i % 10 + "/running-" + i, "team-" + i % 10, "nvidia.com/gpu", 2,
                    random.nextInt(4) * 100, t0.plusSeconds(i), true));
        }
        for (int i = 0; i < queued; i++) {
            jobs.add(new Candidate("team-" + i % 10 + "/queued-" + i, "team-" + i % 10, "nvidia.com/gpu",
                    1 + random.nextInt(4), random.nextInt(4) * 100, t0.plusSeconds(100 + i), false));
        }
        Map<String, Map<String, Integer>> namespaces = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            namespaces.put("team-" + i, Map.of("nvidia.com/gpu", 4));
        }
        Budgets budgets = new Budgets(Map.of("nvidia.com/gpu", 32), namespaces);

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {
            GpuQueue.decide(jobs, budgets, true); // warm-up: JIT
        }
        int rounds = 500;
        long[] nanos = new long[rounds];
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        GpuQueue.Decision last = null;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            last = GpuQueue.decide(jobs, budgets, true);
            nanos[i] = System.nanoTime() - start;
        }
        long allocated = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / rounds;
        Arrays.sort(nanos);
        String report = String.format(Locale.ROOT, """
                admission decisions over %d queued jobs (+16 running), %d rounds
                decision p50: %.3f ms, p99: %.3f ms, max: %.3f ms
                allocated per decision: %.1f KiB
                last decision: %d admitted, %d preempted, %d waiting, %d impossible
                """, queued, rounds, nanos[rounds / 2] / 1e6, nanos[rounds * 99 / 100] / 1e6,
                nanos[rounds - 1] / 1e6, allocated / 1024.0, last.admit().size(), last.preempt().size(),
                last.waiting().size(), last.impossible().size());
        System.out.print(report);
        Files.writeString(Path.of("target", "admission-benchmark.txt"), report);
    }
}
