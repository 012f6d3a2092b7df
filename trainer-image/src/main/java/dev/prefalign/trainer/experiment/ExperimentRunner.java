package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.Judges;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.evaluation.ModelEvaluator;
import dev.prefalign.trainer.evaluation.ReplyRule;
import dev.prefalign.trainer.evaluation.RewardModelSettings;
import dev.prefalign.trainer.evaluation.reward.SequenceClassifier;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.runtime.PeakMemory;
import dev.prefalign.trainer.train.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code compare}: runs an experiment's runs one after another from the same starting model and data, then scores the
 * starting model and every finished run the same way ({@link ModelEvaluator}). A run that fails is recorded and the
 * others still run; a signal stops after the current run's checkpoint. Runs finished earlier with the same resolved
 * spec are not trained again, so an interrupted experiment continues where it stopped.
 */
public final class ExperimentRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ExperimentPlan plan;
    private final Path workDir;
    private final SourceLocations sources;
    private final PrintStream out;
    private final boolean showProgress;
    /** The experiment's evaluation settings, with the reward model resolved to a local folder once run() has. */
    private EvaluationSettings evaluation;

    /** What happened, in numbers. */
    public record Outcome(int succeeded, int failed, boolean interrupted) {
    }

    /**
     * @param sources where the experiment's sources are read from; its work dir is the experiment's, so all runs share
     *                one {@code hf://} cache
     */
    public ExperimentRunner(ExperimentPlan plan, Path workDir, SourceLocations sources, PrintStream out,
            boolean showProgress) {
        this.plan = plan;
        this.workDir = workDir;
        this.sources = sources;
        this.out = out;
        this.showProgress = showProgress;
        this.evaluation = plan.experiment().evaluation();
    }

    /**
     * Checks, before anything runs, that no run folder holds a run of another spec (its checkpoints would be resumed
     * as if they were this run's), and that the local sources exist.
     */
    public void checkBeforeRunning() throws JobException, IOException {
        List<String> problems = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            Path job = WorkDirLayout.run(workDir, run.name()).resolve(WorkDirLayout.JOB);
            if (Files.isRegularFile(job) && !Files.readString(job, StandardCharsets.UTF_8).equals(run.resolvedYaml())) {
                problems.add(job + " holds another spec than run " + run.name() + " has now; delete "
                        + job.getParent() + " to run it afresh, or use another --work-dir");
            }
        }
        for (PlannedRun run : plan.runs()) {
            for (String source : localSources(run)) {
                try {
                    sources.resolve(source, "spec.base");
                } catch (JobException e) {
                    String message = "run " + run.name() + ": source " + source + " does not exist";
                    if (!problems.contains(message)) {
                        problems.add(message);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new JobException(String.join("\n", problems));
        }
    }

    /**
     * The settings with the reward model resolved to a local folder and its revision: an {@code hf://} one is
     * downloaded, and the folder is checked (a one-label sequence classifier with its score head) before any run
     * trains, so that a wrong reward model does not surface only at the report.
     */
    static EvaluationSettings resolveRewardModel(EvaluationSettings settings, SourceLocations sources,
            PrintStream out) throws JobException {
        RewardModelSettings model = settings.rewardModel();
        if (model == null) {
            return settings;
        }
        Path dir = sources.resolve(model.source(), RewardModelSettings.FIELD);
        try {
            SequenceClassifier.check(dir);
        } catch (IOException | RuntimeException e) {
            throw new JobException(RewardModelSettings.FIELD + " (" + model.source() + "): " + e.getMessage(), e);
        }
        RewardModelSettings resolved = model.at(dir.toAbsolutePath().normalize().toString(),
                Revisions.of(model.source(), sources).revision());
        out.println("reward model for the judge: " + resolved.describe());
        return settings.withRewardModel(resolved);
    }

    /** Checks (see {@link #checkBeforeRunning}), trains the runs not finished yet, and evaluates. */
    public Outcome run() throws JobException, IOException {
        checkBeforeRunning();
        evaluation = resolveRewardModel(plan.experiment().evaluation(), sources, out);
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve(WorkDirLayout.EXPERIMENT_COPY), plan.experiment().text(),
                StandardCharsets.UTF_8);
        JSON.writeValue(workDir.resolve(WorkDirLayout.INDEX).toFile(), index());
        if (plan.experiment().maxConcurrent() > 1) {
            out.println("spec.maxConcurrent is " + plan.experiment().maxConcurrent()
                    + "; locally the runs go one after another");
        }
        int succeeded = 0;
        int failed = 0;
        List<PlannedRun> trained = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            Path dir = WorkDirLayout.run(workDir, run.name());
            Optional<RunRecord> done = finished(dir);
            if (done.isPresent()) {
                out.printf("run %d/%d %s: finished earlier, not run again%n", run.index(), plan.runs().size(),
                        run.name());
                succeeded++;
                continue;
            }
            out.printf("run %d/%d %s %s%n", run.index(), plan.runs().size(), run.name(), run.settingTexts());
            RunRecord record = train(run, dir);
            JSON.writeValue(dir.resolve(WorkDirLayout.RUN_RECORD).toFile(), record);
            trained.add(run);
            switch (record.state()) {
                case RunRecord.SUCCEEDED -> {
                    succeeded++;
                    out.printf(Locale.ROOT, "  %s in %.1f s%n", record.state(), record.seconds());
                }
                case RunRecord.INTERRUPTED -> {
                    out.println("  interrupted after a checkpoint; run compare again to continue");
                    return new Outcome(succeeded, failed, true);
                }
                default -> {
                    failed++;
                    out.println("  failed: " + record.error());
                }
            }
        }
        evaluate(trained);
        return new Outcome(succeeded, failed, false);
    }

    private RunRecord train(PlannedRun run, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(WorkDirLayout.JOB), run.resolvedYaml(), StandardCharsets.UTF_8);
        Revisions revisions = Revisions.of(run.job(), sources);
        long seed = run.job().getSpec().getTraining().getSeed();
        String method = run.job().getSpec().getMethod().name();
        ProgressReporter progress = showProgress ? ProgressReporter.forConsole("  " + run.name())
                : ProgressReporter.silent();
        Instant started = Instant.now();
        PeakMemory.reset();
        long t0 = System.nanoTime();
        String state;
        String error = null;
        long steps = 0;
        double trainSeconds = Double.NaN;
        try {
            RunSummary summary = JobRunner.run(run.job(), sources, dir, progress);
            state = summary.interrupted() ? RunRecord.INTERRUPTED : RunRecord.SUCCEEDED;
            steps = summary.steps();
            trainSeconds = summary.seconds();
        } catch (JobException | IOException | RuntimeException e) {
            state = RunRecord.FAILED;
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Revisions are taken after the run too: an hf:// source is only downloaded by the run itself.
        revisions = revisions.model().revision().startsWith("unknown") || revisions.dataset().revision()
                .startsWith("unknown") ? Revisions.of(run.job(), sources) : revisions;
        return new RunRecord(run.index(), run.name(), run.description(), run.settingTexts(), method, state, error,
                steps, seconds, trainSeconds, PeakMemory.residentBytes().orElse(-1), seed, revisions,
                CodeVersion.current(), started.toString(), Instant.now().toString());
    }

    /** Scores the starting model and every succeeded run; results are reused while nothing they depend on changed. */
    private void evaluate(List<PlannedRun> trainedNow) throws IOException {
        EvaluationSettings settings = plan.experiment().evaluation();
        List<ReplyRule> rules = Judges.rules(settings.rules());
        String key = JSON.writeValueAsString(settings) + "\n" + JobManifests.toYaml(plan.scoringJob());
        out.println("evaluating the starting model and the finished runs the same way ...");
        Path startDir = WorkDirLayout.startingModel(workDir);
        if (!reusable(startDir, key)) {
            writeEvaluation(startDir, evaluateModel(null, startDir, settings, rules, key));
        }
        for (PlannedRun run : plan.runs()) {
            Path dir = WorkDirLayout.run(workDir, run.name());
            Optional<RunRecord> record = finished(dir);
            if (record.isEmpty() || (!trainedNow.contains(run) && reusable(dir, key))) {
                continue;
            }
            writeEvaluation(dir, evaluateModel(dir.resolve("output"), dir, settings, rules, key));
        }
    }

    private ModelEvaluation evaluateModel(Path model, Path dir, EvaluationSettings settings, List<ReplyRule> rules,
            String key) {
        String label = model == null ? "starting model" : dir.getFileName().toString();
        try {
            ModelEvaluation e = ModelEvaluator.evaluate(plan.scoringJob(), sources, dir, model, settings, rules, key);
            out.printf(Locale.ROOT, "  %s: preference accuracy %.3f, logp margin %+.3f on %d pairs%s%n", label,
                    e.preferenceAccuracy(), e.logpMargin(), e.pairs(), e.rulePassRates().isEmpty() ? ""
                            : ", pass rates " + e.rulePassRates());
            return e;
        } catch (JobException | IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            out.println("  " + label + ": not evaluated: " + why);
            return ModelEvaluation.failed(model == null ? "starting model" : model.toString(), why, key);
        }
    }

    private static void writeEvaluation(Path dir, ModelEvaluation evaluation) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(WorkDirLayout.EVALUATION).toFile(), evaluation);
    }

    private static boolean reusable(Path dir, String key) {
        Path file = dir.resolve(WorkDirLayout.EVALUATION);
        try {
            return Files.isRegularFile(file) && key.equals(JSON.readValue(file.toFile(), ModelEvaluation.class).key());
        } catch (IOException e) {
            return false;
        }
    }

    /** The run's record when it succeeded before with the spec it has now. */
    private Optional<RunRecord> finished(Path dir) {
        Path file = dir.resolve(WorkDirLayout.RUN_RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            RunRecord record = JSON.readValue(file.toFile(), RunRecord.class);
            return record.succeeded() ? Optional.of(record) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private ExperimentIndex index() {
        List<ExperimentIndex.Entry> entries = plan.runs().stream()
                .map(r -> new ExperimentIndex.Entry(r.index(), r.name(), r.description(), r.settingTexts(),
                        r.job().getSpec().getMethod().name()))
                .toList();
        return new ExperimentIndex(plan.experiment().name(), Path.of(plan.experiment().origin()).toAbsolutePath()
                .toString(), CodeVersion.current(), Instant.now().toString(), evaluation, entries,
                JobManifests.toYaml(plan.scoringJob()));
    }

    private static List<String> localSources(PlannedRun run) {
        List<String> out = new ArrayList<>();
        var spec = run.job().getSpec();
        out.add(spec.getModel().getSource());
        if (spec.getReferenceModel() != null && spec.getReferenceModel().getSource() != null) {
            out.add(spec.getReferenceModel().getSource());
        }
        out.add(spec.getDataset().getSource());
        out.removeIf(s -> s == null || s.startsWith("hf://"));
        return out;
    }
}
