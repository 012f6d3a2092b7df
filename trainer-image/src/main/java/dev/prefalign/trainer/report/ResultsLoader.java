package dev.prefalign.trainer.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.experiment.ExperimentIndex;
import dev.prefalign.trainer.experiment.RunRecord;
import dev.prefalign.trainer.experiment.WorkDirLayout;
import dev.prefalign.trainer.job.JobException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an experiment's work dir as {@code compare} left it: {@code experiment.json}, and per run its record, resolved
 * job, metric log and evaluation. Runs that have not run yet are shown as pending, so a report of an unfinished
 * experiment shows what is there.
 */
public final class ResultsLoader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ResultsLoader() {
    }

    public static ExperimentResults load(Path workDir) throws JobException, IOException {
        Path indexFile = workDir.resolve(WorkDirLayout.INDEX);
        if (!Files.isRegularFile(indexFile)) {
            throw new JobException(indexFile + " does not exist: " + workDir + " is not an experiment's work dir "
                    + "(run compare -f experiment.yaml first, or pass the --work-dir compare used)");
        }
        ExperimentIndex index = JSON.readValue(indexFile.toFile(), ExperimentIndex.class);
        List<String> notes = new ArrayList<>();
        List<RunOutcome> runs = new ArrayList<>();
        for (ExperimentIndex.Entry entry : index.runs()) {
            Path dir = WorkDirLayout.run(workDir, entry.name());
            Path recordFile = dir.resolve(WorkDirLayout.RUN_RECORD);
            RunRecord record = Files.isRegularFile(recordFile)
                    ? JSON.readValue(recordFile.toFile(), RunRecord.class)
                    : RunRecord.pending(entry.index(), entry.name(), entry.description(), entry.settings(),
                            entry.method());
            Path job = dir.resolve(WorkDirLayout.JOB);
            String yaml = Files.isRegularFile(job) ? Files.readString(job, StandardCharsets.UTF_8) : "";
            ModelEvaluation evaluation = evaluation(dir);
            if (record.succeeded() && evaluation != null && !evaluation.ok()) {
                notes.add(entry.name() + " was not evaluated: " + evaluation.error());
            }
            runs.add(new RunOutcome(record, yaml, MetricsHistory.read(dir.resolve(WorkDirLayout.METRICS)),
                    evaluation));
        }
        ModelEvaluation start = evaluation(WorkDirLayout.startingModel(workDir));
        if (start != null && !start.ok()) {
            notes.add("the starting model was not evaluated: " + start.error());
        }
        Path copy = workDir.resolve(WorkDirLayout.EXPERIMENT_COPY);
        String text = Files.isRegularFile(copy) ? Files.readString(copy, StandardCharsets.UTF_8) : null;
        return ExperimentResults.assemble(index.name(), index.file(), index.codeVersion(), text, index.evaluation(),
                start, runs, notes);
    }

    private static ModelEvaluation evaluation(Path dir) throws IOException {
        Path file = dir.resolve(WorkDirLayout.EVALUATION);
        return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), ModelEvaluation.class) : null;
    }
}
