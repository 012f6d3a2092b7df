package dev.prefalign.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.trainer.evaluation.EvalPrompt;
import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.Generation;
import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.experiment.RunRecord;
import dev.prefalign.trainer.testkit.MarkdownTables;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from results built in memory: ranking, missing values, failed and pending runs, escaping, charts. */
class ReportWriterTest {
    private static final EvalPrompt PROMPT = EvalPrompt.of("can you help me | fix my bike ?");

    private static MetricsHistory history(double... losses) {
        List<MetricsHistory.Line> lines = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("epoch", (i + 1) / (double) losses.length);
            values.put("loss", losses[i]);
            lines.add(new MetricsHistory.Line(i + 1, values));
        }
        return new MetricsHistory(lines);
    }

    private static RunRecord record(int index, String name, String method, String state, double seconds) {
        return new RunRecord(index, name, method.toLowerCase(), Map.of("method", method), method, state,
                state.equals(RunRecord.FAILED) ? "spec.model.source: /x does not exist" : null, 3, seconds,
                seconds / 2, 300L * 1024 * 1024, 42, null, "test", "t0", "t1");
    }

    private static ModelEvaluation evaluation(double accuracy, double margin, double polite, String reply) {
        return new ModelEvaluation("/m", "eval split test", 4, accuracy, margin, Map.of("politeness", polite),
                List.of(Generation.of(PROMPT, reply)), null, null);
    }

    @Test
    void ranksByTheChosenScoreAndMarksWhatIsMissing(@TempDir Path dir) throws Exception {
        List<RunOutcome> runs = List.of(
                new RunOutcome(record(1, "x-01-dpo", "DPO", RunRecord.SUCCEEDED, 2.0), "spec: {}\n",
                        history(0.69, 0.5), evaluation(0.75, 1.0, 0.0, "no . go away .")),
                new RunOutcome(record(2, "x-02-orpo", "ORPO", RunRecord.SUCCEEDED, 3.0), "spec: {}\n",
                        history(3.5, Double.NaN), evaluation(0.75, 2.0, 1.0, "sure , glad to help .")),
                new RunOutcome(record(3, "x-03-sft", "SFT", RunRecord.FAILED, 0.5), "", MetricsHistory.empty(), null),
                new RunOutcome(RunRecord.pending(4, "x-04-dpo", "dpo", Map.of("method", "DPO"), "DPO"), "",
                        MetricsHistory.empty(), null));
        EvaluationSettings settings = new EvaluationSettings(1, 8, List.of("politeness"), "politeness", null);
        ExperimentResults results = ExperimentResults.assemble("x", "x.yaml", "test", "kind: x\n", settings,
                evaluation(0.5, 0.0, 0.0, "no ."), runs, List.of());

        Path file = ReportWriter.write(results, dir);
        String md = Files.readString(file);

        List<Map<String, String>> ranking = MarkdownTables.after(md, "## Ranking");
        assertThat(ranking).extracting(r -> r.get("run")).containsExactly("starting model", "x-02-orpo", "x-01-dpo",
                "x-03-sft", "x-04-dpo");
        assertThat(ranking).extracting(r -> r.get("rank")).containsExactly("start", "1", "2", "-", "-");
        Map<String, String> orpo = ranking.get(1);
        assertThat(orpo.get("win rate vs start")).isEqualTo("1.0000");
        assertThat(orpo.get("politeness")).isEqualTo("1.0000");
        assertThat(orpo.get("final loss")).as("a NaN logged last").isEqualTo("n/a");
        assertThat(orpo.get("peak RSS (MiB)")).isEqualTo("300");
        assertThat(ranking.get(3).get("state")).isEqualTo("Failed");
        assertThat(ranking.get(4).get("state")).isEqualTo("Pending");
        assertThat(md).contains("spec.model.source: /x does not exist").contains("1 failed, 1 pending, 2 succeeded");

        List<Map<String, String>> wins = MarkdownTables.after(md, "## Win rates");
        assertThat(wins).extracting(r -> r.get("run")).containsExactly("x-01-dpo", "x-02-orpo");
        assertThat(wins.get(1).get("x-01-dpo")).isEqualTo("1.0000 (1/0/0)");
        List<Map<String, String>> samples = MarkdownTables.after(md,
                "Prompt 1: can you help me \\| fix my bike ?");
        assertThat(samples).extracting(r -> r.get("model")).containsExactly("starting model", "x-01-dpo",
                "x-02-orpo");

        assertThat(md).contains("## Experiment file\n\n```yaml\nkind: x\n```");
        XYSeriesCollection loss = (XYSeriesCollection) ReportCharts.of(results).get(0).chart().getXYPlot()
                .getDataset();
        assertThat(loss.getSeriesCount()).as("runs without a metric log have no curve").isEqualTo(2);
        assertThat(loss.getSeries(1).getItemCount()).as("the NaN is not drawn").isEqualTo(1);
        BufferedImage png = ImageIO.read(dir.resolve("training-loss.png").toFile());
        assertThat(png.getWidth()).isEqualTo(ReportCharts.WIDTH);
        assertThat(md).doesNotContain("reward-accuracy.png").as("no run logged rewards");
    }

    @Test
    void metricLogsReadBackWithNonFiniteValuesAndCutLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, """
                {"step":1,"epoch":0.5,"loss":0.69,"rewards/accuracies":0.0}
                {"step":2,"epoch":1.0,"loss":"NaN","eval_loss":0.6}
                {"step":3,"epo""");
        MetricsHistory h = MetricsHistory.read(file);
        assertThat(h.lines()).hasSize(2);
        assertThat(h.last("loss").getAsDouble()).isNaN();
        assertThat(h.series("loss")).containsExactly(new MetricsHistory.Point(1, 0.69));
        assertThat(h.last("eval_loss")).hasValue(0.6);
        assertThat(h.last("nll_loss")).isEmpty();
        assertThat(h.lastStep()).isEqualTo(2);
        assertThat(MetricsHistory.read(dir.resolve("none.jsonl")).lines()).isEmpty();
    }
}
