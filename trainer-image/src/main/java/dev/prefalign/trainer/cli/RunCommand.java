package dev.prefalign.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.runtime.GracefulStop;
import dev.prefalign.trainer.status.StatusServer;
import dev.prefalign.trainer.status.TrainingStatus;
import dev.prefalign.trainer.train.ProgressReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Train the manifest's spec and export the model to <work-dir>/output.")
final class RunCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ManifestOptions manifest;

    @Option(names = "--summary-file", paramLabel = "FILE",
            description = "Also write the run summary JSON here (in Kubernetes: /dev/termination-log).")
    Path summaryFile;

    @Option(names = "--status-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Serve /status (JSON) and /metrics (Prometheus) here while training; -1 disables. "
                    + "Default: ${DEFAULT-VALUE}.")
    int statusPort;

    @Override
    public Integer call() throws Exception {
        PreferenceAlignmentJob job = manifest.job();
        GracefulStop.install();
        TrainingStatus status = new TrainingStatus();
        RunSummary summary;
        try (StatusServer server = StatusServer.start(statusPort, status)) {
            summary = JobRunner.run(job, manifest.sources(job), manifest.workDir(job),
                    ProgressReporter.forConsole(job.getMetadata().getName()), status);
        }
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        System.out.println(json);
        if (summaryFile != null) {
            Files.writeString(summaryFile, TerminationMessage.fit(summary));
        }
        return summary.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }
}
