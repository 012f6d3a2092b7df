package dev.prefalign.trainer.demo;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.report.RunOutcome;
import dev.prefalign.trainer.runtime.PeakMemory;
import dev.prefalign.trainer.train.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The offline demo: a tiny model learns the politeness preference. SFT on mixed polite/rude replies gives a model with
 * both behaviours; DPO and ORPO then start from that same model and data; a table compares held-out preference
 * accuracy, margins and how often greedy replies to unseen requests are polite, before and after, with time and memory.
 */
public final class DemoRunner {
    private static final long SEED = 7;
    private final Path root;
    private final PrintStream out;
    private final boolean showProgress;

    public DemoRunner(Path root, PrintStream out, boolean showProgress) {
        this.root = root.toAbsolutePath().normalize();
        this.out = out;
        this.showProgress = showProgress;
    }

    /** One method's outcome. */
    public record MethodResult(String method, DemoMeasurement before, DemoMeasurement after, Map<String, Double> eval,
            double seconds, long peakRssBytes) {
    }

    public List<MethodResult> run() throws IOException, JobException {
        long started = System.nanoTime();
        out.println("prefalign demo: teaching a tiny model to answer politely (work dir " + root + ")");
        TinyModelFactory.write(root.resolve("base"), PolitenessTask.vocabulary(), TinyModelFactory.Shape.demo(), SEED);
        DemoData.write(root.resolve("data"), SEED);
        Path manifests = root.resolve("manifests");
        DemoManifests.write(manifests);

        out.println("1/3 SFT warm-up on replies that are polite half of the time ...");
        runJob(manifests.resolve(DemoManifests.SFT));
        Path sftModel = root.resolve("runs/demo-sft/output");
        DemoMeasurement before = DemoMeasurement.of(job(manifests.resolve(DemoManifests.DPO)), sources(manifests),
                root.resolve("runs/before"), sftModel);

        List<MethodResult> results = new ArrayList<>();
        List<RunOutcome> outcomes = new ArrayList<>();
        int stage = 2;
        for (String manifest : List.of(DemoManifests.DPO, DemoManifests.ORPO)) {
            PreferenceAlignmentJob job = job(manifests.resolve(manifest));
            out.println(stage++ + "/3 " + job.getSpec().getMethod() + " from the SFT model ...");
            PeakMemory.reset();
            Instant startedAt = Instant.now();
            long t0 = System.nanoTime();
            RunSummary summary = runJob(manifests.resolve(manifest));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = PeakMemory.residentBytes().orElse(-1);
            Path trained = Path.of(summary.outputPath());
            DemoMeasurement after = DemoMeasurement.of(job, sources(manifests), root.resolve("runs/after"), trained);
            results.add(new MethodResult(job.getSpec().getMethod().name(), before, after, summary.evalMetrics(),
                    seconds, peak));
            outcomes.add(DemoReport.outcome(outcomes.size() + 1, job, summary, root.resolve("runs")
                    .resolve(job.getMetadata().getName()), seconds, peak, startedAt, after, sources(manifests)));
        }
        out.println();
        out.print(DemoTable.render(results, before));
        Path report = DemoReport.write(root, before, sftModel, outcomes);
        out.println("\nReport with charts: " + report);
        out.printf("%nTotal demo time %.1f s. Manifests in %s; rerun a stage with: run -f %s%n",
                (System.nanoTime() - started) / 1e9, manifests, manifests.resolve(DemoManifests.DPO));
        return results;
    }

    private RunSummary runJob(Path manifest) throws IOException, JobException {
        PreferenceAlignmentJob job = job(manifest);
        ProgressReporter progress = showProgress ? ProgressReporter.forConsole("  " + job.getMetadata().getName())
                : ProgressReporter.silent();
        return JobRunner.run(job, sources(manifest.getParent()), root.resolve("runs").resolve(job.getMetadata()
                .getName()), progress);
    }

    private SourceLocations sources(Path manifestDir) {
        return SourceLocations.of(manifestDir, root.resolve("runs"));
    }

    private static PreferenceAlignmentJob job(Path manifest) throws JobException {
        try {
            return JobManifests.read(manifest);
        } catch (Exception e) {
            throw new JobException(e.getMessage(), e);
        }
    }

}
