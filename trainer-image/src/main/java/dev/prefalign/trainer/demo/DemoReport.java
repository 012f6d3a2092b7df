package dev.prefalign.trainer.demo;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.evaluation.PolitenessRule;
import dev.prefalign.trainer.evaluation.RankBy;
import dev.prefalign.trainer.experiment.CodeVersion;
import dev.prefalign.trainer.experiment.Revisions;
import dev.prefalign.trainer.experiment.RunRecord;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.report.ExperimentResults;
import dev.prefalign.trainer.report.MetricsHistory;
import dev.prefalign.trainer.report.ReportWriter;
import dev.prefalign.trainer.report.RunOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's comparison as an experiment report (the same code {@code compare} uses): the DPO and ORPO runs with their
 * metric logs, scored on the held-out pairs and requests, judged by the politeness rule against the SFT model.
 */
final class DemoReport {
    private DemoReport() {
    }

    /** One trained method as the report shows it. */
    static RunOutcome outcome(int index, PreferenceAlignmentJob job, RunSummary summary, Path runDir, double seconds,
            long peakRssBytes, Instant started, DemoMeasurement after, SourceLocations sources) throws IOException {
        Method method = job.getSpec().getMethod();
        Map<String, String> settings = new LinkedHashMap<>();
        if (method == Method.DPO) {
            settings.put("dpo.beta", Double.toString(job.getSpec().getDpo().getBeta()));
            settings.put("dpo.lossType", job.getSpec().getDpo().getLossType().name().toLowerCase());
        } else if (method == Method.ORPO) {
            settings.put("orpo.lambda", Double.toString(job.getSpec().getOrpo().getLambda()));
        }
        String name = job.getMetadata().getName();
        RunRecord record = new RunRecord(index, name, method.name().toLowerCase(), settings, method.name(),
                summary.interrupted() ? RunRecord.INTERRUPTED : RunRecord.SUCCEEDED, null, summary.steps(), seconds,
                summary.seconds(), peakRssBytes, job.getSpec().getTraining().getSeed(), Revisions.of(job, sources),
                CodeVersion.current(), started.toString(), Instant.now().toString());
        return new RunOutcome(record, JobManifests.toYaml(job), MetricsHistory.read(runDir.resolve("metrics.jsonl")),
                evaluation(runDir.resolve("output"), after));
    }

    static Path write(Path root, DemoMeasurement before, Path sftModel, List<RunOutcome> runs) throws IOException {
        EvaluationSettings settings = new EvaluationSettings(before.replies().size(), DemoMeasurement.MAX_NEW_TOKENS,
                List.of(PolitenessRule.NAME), PolitenessRule.NAME, new RankBy.RulePassRate(PolitenessRule.NAME).key());
        ExperimentResults results = ExperimentResults.assemble("demo", root.resolve("manifests").toString(),
                CodeVersion.current(), null, settings, evaluation(sftModel, before), runs,
                List.of("the starting model is the SFT warm-up; pairs and requests are held out (tasks never seen in "
                        + "training)"));
        return ReportWriter.write(results, root.resolve("report"));
    }

    private static ModelEvaluation evaluation(Path model, DemoMeasurement m) {
        return new ModelEvaluation(model.toString(), "eval split test of ../data/prefs", m.pairs(),
                m.preferenceAccuracy(), m.logpMargin(), Map.of(PolitenessRule.NAME, m.politeRate()), m.replies(),
                null, null);
    }
}
