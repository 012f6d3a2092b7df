package dev.prefalign.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.bench.BenchRunner;
import dev.prefalign.trainer.bench.SoakRunner;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Training throughput of a ~20M-parameter model (batch 8 pairs x 256 tokens): tokens/s, step time,",
                "the engine's matmul peak and model FLOP utilisation (MFU). Use --steps 1000 for a memory soak."})
final class BenchCommand implements Callable<Integer> {
    /** jemalloc keeping freed pages for a minute, as the trainer image sets it (docs/benchmarks.md, "Allocator"). */
    static final String FAST_MALLOC_CONF = "oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000";

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps per method. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--method", split = ",", defaultValue = "dpo,orpo",
            description = "Methods to measure (dpo, orpo). Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--soak", paramLabel = "STEPS",
            description = "Instead: run this many DPO steps of a small model and report resident memory along the way.")
    Integer soakSteps;

    @Override
    public Integer call() throws Exception {
        if (soakSteps != null) {
            return soak();
        }
        List<BenchRunner.Result> results = new BenchRunner(steps, warmup).run(methods);
        System.err.println(allocatorNote(System.getenv("LD_PRELOAD"), System.getenv("MALLOC_CONF")));
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
            return ExitCodes.OK;
        }
        for (BenchRunner.Result r : results) {
            System.out.printf(Locale.ROOT, "%-5s params=%,d steps=%d step_ms=%.1f tokens_per_second=%.0f "
                            + "matmul_peak_gflops=%.1f mfu=%.3f rss_start_mib=%.0f rss_end_mib=%.0f%n",
                    r.method(), r.parameters(), r.steps(), r.stepMs(), r.tokensPerSecond(), r.matmulPeakGflops(),
                    r.mfu(), r.rssStartBytes() / 1048576.0, r.rssEndBytes() / 1048576.0);
        }
        return ExitCodes.OK;
    }

    /**
     * Which malloc served libtorch, since it decides CPU speed: freed activation buffers that go back to the kernel
     * must be faulted in again every step (docs/benchmarks.md, "Allocator").
     */
    static String allocatorNote(String preload, String mallocConf) {
        if (preload != null && preload.contains("jemalloc")) {
            return "allocator: jemalloc, MALLOC_CONF=" + (mallocConf == null ? "(default)" : mallocConf)
                    + (mallocConf != null && mallocConf.contains("oversize_threshold:0") ? ""
                            : "; set MALLOC_CONF=" + FAST_MALLOC_CONF + " for full speed");
        }
        return "allocator: the C library's malloc; on Linux, LD_PRELOAD=libjemalloc.so.2 with "
                + "MALLOC_CONF=" + FAST_MALLOC_CONF + " trains about 1.7x faster on a CPU";
    }

    private int soak() throws Exception {
        SoakRunner.Result r = new SoakRunner().run(soakSteps, Math.max(1, soakSteps / 20));
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return ExitCodes.OK;
        }
        for (SoakRunner.Sample s : r.samples()) {
            System.out.printf(Locale.ROOT, "step %6d rss_mib %.1f%n", s.step(), s.rssBytes() / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "rss slope after warm-up: %.1f KiB/step%n", r.slopeBytesPerStep() / 1024);
        return ExitCodes.OK;
    }
}
