package dev.prefalign.trainer.cli;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.trainer.experiment.Experiment;
import dev.prefalign.trainer.experiment.ExperimentFiles;
import dev.prefalign.trainer.experiment.ExperimentPlan;
import dev.prefalign.trainer.experiment.ExperimentRunner;
import dev.prefalign.trainer.experiment.WorkDirLayout;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.report.ReportWriter;
import dev.prefalign.trainer.report.ResultsLoader;
import dev.prefalign.trainer.runtime.GracefulStop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run a PreferenceAlignmentExperiment: every run of its grid and variations, one after another",
                "from the same starting model and data; then score all models the same way and write the report",
                "(<work-dir>/report/report.md). Finished runs are not trained again."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "experiment.yaml",
            description = "The PreferenceAlignmentExperiment file.")
    Path file;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the runs, the evaluations and the report go (default ./prefalign-work/<name>).")
    Path workDir;

    @Option(names = "--dry-run", description = "Validate the experiment and list its runs; train nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Experiment experiment = ExperimentFiles.read(file);
        Path manifestDir = file.toAbsolutePath().getParent();
        ExperimentPlan plan = ExperimentPlan.of(experiment, manifestDir);
        System.out.println("experiment " + experiment.name() + ": " + plan.runs().size() + " runs");
        for (PlannedRun run : plan.runs()) {
            System.out.println("  " + run.name() + "  " + run.settingTexts());
        }
        if (dryRun) {
            return ExitCodes.OK;
        }
        Path dir = (workDir != null ? workDir : Path.of("prefalign-work", experiment.name())).toAbsolutePath()
                .normalize();
        GracefulStop.install();
        ExperimentRunner.Outcome outcome = new ExperimentRunner(plan, dir, SourceLocations.of(manifestDir, dir),
                System.out, true).run();
        Path report = ReportWriter.write(ResultsLoader.load(dir), WorkDirLayout.report(dir));
        System.out.println("report: " + report);
        if (outcome.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        if (outcome.failed() > 0) {
            System.err.println(outcome.failed() + " of " + plan.runs().size() + " runs failed; the report says why");
            return ExitCodes.CRASHED;
        }
        return ExitCodes.OK;
    }
}
