package dev.prefalign.trainer.experiment;

import java.nio.file.Path;

/**
 * Where an experiment keeps things under its work dir: each run in {@code <work-dir>/<run name>/} (job.yaml,
 * metrics.jsonl, summary.json, output/, run-record.json, evaluation.json), the starting model's evaluation in
 * {@code starting-model/}, the shared {@code hf://} cache in {@code cache/} and the report in {@code report/}.
 */
public final class WorkDirLayout {
    public static final String INDEX = "experiment.json";
    public static final String EXPERIMENT_COPY = "experiment.yaml";
    public static final String JOB = "job.yaml";
    public static final String RUN_RECORD = "run-record.json";
    public static final String EVALUATION = "evaluation.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String STARTING_MODEL = "starting-model";
    public static final String REPORT = "report";

    private WorkDirLayout() {
    }

    public static Path run(Path workDir, String runName) {
        return workDir.resolve(runName);
    }

    public static Path startingModel(Path workDir) {
        return workDir.resolve(STARTING_MODEL);
    }

    public static Path report(Path workDir) {
        return workDir.resolve(REPORT);
    }
}
