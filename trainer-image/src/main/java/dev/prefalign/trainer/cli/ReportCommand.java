package dev.prefalign.trainer.cli;

import dev.prefalign.trainer.experiment.ExperimentFiles;
import dev.prefalign.trainer.experiment.WorkDirLayout;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.report.ReportWriter;
import dev.prefalign.trainer.report.ResultsLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write an experiment's report again from its work dir: report.md with a ranking, the final",
                "metrics, charts (PNG), win rates, sample replies and each run's exact spec and revisions.",
                "Works on an unfinished experiment too (its pending runs are listed)."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "experiment.yaml",
            description = "The experiment file; its name gives the default work dir.")
    Path file;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "The work dir compare used (default ./prefalign-work/<name>).")
    Path workDir;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where to write the report (default <work-dir>/report).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path dir;
        if (workDir != null) {
            dir = workDir;
        } else if (file != null) {
            dir = Path.of("prefalign-work", ExperimentFiles.read(file).name());
        } else {
            throw new JobException("report needs --work-dir DIR (the folder compare wrote) or -f experiment.yaml");
        }
        dir = dir.toAbsolutePath().normalize();
        Path report = ReportWriter.write(ResultsLoader.load(dir), output != null ? output : WorkDirLayout.report(dir));
        System.out.println("report: " + report);
        return ExitCodes.OK;
    }
}
