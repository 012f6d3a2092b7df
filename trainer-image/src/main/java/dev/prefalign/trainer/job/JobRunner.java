package dev.prefalign.trainer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.CheckpointsSpec;
import dev.prefalign.api.v1alpha1.spec.ResumePolicy;
import dev.prefalign.trainer.checkpoint.CheckpointStore;
import dev.prefalign.trainer.checkpoint.SavedCheckpoint;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.runtime.GracefulStop;
import dev.prefalign.trainer.status.Phase;
import dev.prefalign.trainer.status.TrainingStatus;
import dev.prefalign.trainer.train.Evaluator;
import dev.prefalign.trainer.train.LoopState;
import dev.prefalign.trainer.train.MetricsLog;
import dev.prefalign.trainer.train.ProgressReporter;
import dev.prefalign.trainer.train.TrainingLoop;
import dev.prefalign.trainer.train.TrainingPlan;
import dev.prefalign.trainer.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code run}: load the job, resume from the newest complete checkpoint when there is one, train with checkpoints every
 * {@code checkpoints.everySteps} steps and on SIGTERM, export the model, and report.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobRunner() {
    }

    public static RunSummary run(PreferenceAlignmentJob job, SourceLocations sources, Path workDir,
            ProgressReporter progress) throws JobException, IOException {
        return run(job, sources, workDir, progress, new TrainingStatus());
    }

    /** As above, reporting live progress into {@code status} (served on /status and /metrics by the CLI). */
    public static RunSummary run(PreferenceAlignmentJob job, SourceLocations sources, Path workDir,
            ProgressReporter progress, TrainingStatus status) throws JobException, IOException {
        try {
            RunSummary summary = train(job, sources, workDir, progress, status);
            status.phase(summary.interrupted() ? Phase.INTERRUPTED : Phase.SUCCEEDED,
                    summary.interrupted() ? "stopped by a signal after a checkpoint; run again to resume" : null);
            return summary;
        } catch (JobException | IOException | RuntimeException e) {
            status.phase(Phase.FAILED, e.getMessage());
            throw e;
        }
    }

    private static RunSummary train(PreferenceAlignmentJob job, SourceLocations sources, Path workDir,
            ProgressReporter progress, TrainingStatus status) throws JobException, IOException {
        Files.createDirectories(workDir);
        status.phase(Phase.LOADING);
        String name = job.getMetadata().getName();
        CheckpointsSpec checkpoints = job.getSpec().getCheckpoints();
        TrainingSettings settings = Settings.training(job.getSpec().getTraining());
        Path metrics = workDir.resolve("metrics.jsonl");
        try (JobSession session = new JobSession(job, sources, workDir, null, false)) {
            CheckpointStore store = new CheckpointStore(workDir.resolve("checkpoints"), checkpoints.getKeep(),
                    session.policy(), JobManifests.toYaml(job))
                    .onSaved(c -> status.checkpointSaved(c.step(), c.path(), c.time()))
                    .onRemoved(c -> status.checkpointRemoved(c.step()));
            store.removeUnfinished();
            List<SavedCheckpoint> existing = store.list();
            for (int i = existing.size() - 1; i >= 0; i--) { // oldest first, as they were written
                status.checkpointSaved(existing.get(i).step(), existing.get(i).path(), existing.get(i).time());
            }
            try (AdamW adam = TrainingLoop.newOptimizer(session.policy(), settings)) {
                LoopState from = resume(store, checkpoints.getResume(), session, adam);
                MetricsLog.truncateAfter(metrics, from.step());
                try (MetricsLog log = new MetricsLog(metrics, true)) {
                    LOG.info(String.format("%s: %s of %s (%,d parameters) on %d training examples%s", name,
                            job.getSpec().getMethod(), session.modelDir(), session.policy().parameterCount(),
                            session.trainObjective().size(),
                            from.step() > 0 ? ", resuming at step " + from.step() : ""));
                    TrainingLoop loop = new TrainingLoop(session.policy(), settings, session.trainObjective(),
                            session.evalObjective(), log, progress)
                            .checkpoints(store, checkpoints.getEverySteps(), GracefulStop::requested)
                            .onStep(status.stepListener());
                    TrainingPlan plan = TrainingPlan.of(session.trainObjective().size(), settings.batchSize(),
                            settings.gradientAccumulationSteps(), settings.epochs(), settings.maxSteps());
                    status.plan(plan);
                    TrainingLoop.Summary s = loop.run(adam, from);
                    long total = plan.totalSteps();
                    Path output = workDir.resolve("output");
                    if (!s.interrupted()) {
                        status.phase(Phase.EXPORTING);
                        ModelExport.export(session.policy(), session.modelDir(), output);
                    }
                    RunSummary summary = new RunSummary(name, job.getSpec().getMethod().name(),
                            s.interrupted() ? RunSummary.INTERRUPTED : RunSummary.SUCCEEDED, s.steps(), total,
                            s.seconds(), s.tokensPerSecond(), s.trainMetrics(), s.evalMetrics(),
                            entries(store.list()), s.interrupted() ? null : output.toAbsolutePath().toString(),
                            s.skippedSteps());
                    JSON.writerWithDefaultPrettyPrinter().writeValue(workDir.resolve("summary.json").toFile(), summary);
                    return summary;
                }
            }
        }
    }

    private static LoopState resume(CheckpointStore store, ResumePolicy policy, JobSession session, AdamW adam)
            throws IOException {
        if (policy == ResumePolicy.NONE) {
            if (!store.list().isEmpty()) {
                LOG.warning("checkpoints.resume is none: starting from step 0 although checkpoints exist");
            }
            return LoopState.start();
        }
        Optional<CheckpointStore.Restorable> latest = store.latestComplete();
        if (latest.isEmpty()) {
            return LoopState.start();
        }
        latest.get().restoreInto(session.policy(), adam);
        LOG.info("resuming from " + latest.get().checkpoint().path());
        return latest.get().state();
    }

    private static List<RunSummary.CheckpointEntry> entries(List<SavedCheckpoint> saved) {
        return saved.stream().map(c -> new RunSummary.CheckpointEntry(c.step(), c.path().toAbsolutePath().toString(),
                c.time().toString())).toList();
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
