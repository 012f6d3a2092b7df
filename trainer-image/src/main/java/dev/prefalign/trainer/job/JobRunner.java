package dev.prefalign.trainer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.train.Evaluator;
import dev.prefalign.trainer.train.MetricsLog;
import dev.prefalign.trainer.train.ProgressReporter;
import dev.prefalign.trainer.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/** {@code run}: load the job, train it, export the model, and report. */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobRunner() {
    }

    public static RunSummary run(PreferenceAlignmentJob job, SourceLocations sources, Path workDir,
            ProgressReporter progress) throws JobException, IOException {
        Files.createDirectories(workDir);
        String name = job.getMetadata().getName();
        try (JobSession session = new JobSession(job, sources, workDir, null, false);
                MetricsLog log = new MetricsLog(workDir.resolve("metrics.jsonl"), false)) {
            LOG.info(String.format("%s: %s of %s (%,d parameters) on %d training examples", name,
                    job.getSpec().getMethod(), session.modelDir(), session.policy().parameterCount(),
                    session.trainObjective().size()));
            TrainingLoop loop = new TrainingLoop(session.policy(), Settings.training(job.getSpec().getTraining()),
                    session.trainObjective(), session.evalObjective(), log, progress);
            TrainingLoop.Summary s = loop.run();
            Path output = workDir.resolve("output");
            ModelExport.export(session.policy(), session.modelDir(), output);
            RunSummary summary = new RunSummary(name, job.getSpec().getMethod().name(), s.steps(), s.seconds(),
                    s.tokensPerSecond(), s.trainMetrics(), s.evalMetrics(), output.toAbsolutePath().toString(),
                    s.skippedSteps());
            JSON.writerWithDefaultPrettyPrinter().writeValue(workDir.resolve("summary.json").toFile(), summary);
            return summary;
        }
    }

    /** {@code evaluate}: scores the eval split (or the whole source when there is none) without training. */
    public static Evaluator.Evaluation evaluate(PreferenceAlignmentJob job, SourceLocations sources, Path workDir,
            Path modelOverride) throws JobException, IOException {
        try (JobSession session = new JobSession(job, sources, workDir, modelOverride, true)) {
            var objective = session.evalObjective() != null ? session.evalObjective() : session.trainObjective();
            return Evaluator.evaluate(objective, job.getSpec().getTraining().getBatchSize());
        }
    }
}
