package dev.prefalign.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.trainer.report.ExperimentResults;
import dev.prefalign.trainer.report.ReportCharts;
import dev.prefalign.trainer.report.ReportWriter;
import dev.prefalign.trainer.report.ResultsLoader;
import dev.prefalign.trainer.testkit.CliRun;
import dev.prefalign.trainer.testkit.MarkdownTables;
import dev.prefalign.trainer.testkit.TinyJob;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} end to end through the command line on the tiny model: DPO with beta 0.1 and 0.5 and ORPO with lambda
 * 0.1 from the same start, then the report checked against the runs' own files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompareEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUNS = List.of("cmp-01-dpo-beta-0.1", "cmp-02-dpo-beta-0.5",
            "cmp-03-orpo-lambda-0.1");

    @TempDir
    static Path root;
    static Path workDir;
    static CliRun first;

    @BeforeAll
    static void runTheExperiment() throws Exception {
        TinyJob.model(root.resolve("base"), 8);
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.pairs(16, 3));
        Files.writeString(root.resolve("experiment.yaml"), """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentExperiment
                metadata:
                  name: cmp
                spec:
                  base:
                    method: DPO
                    model:
                      source: ./base
                    dataset:
                      source: ./data/pairs.jsonl
                      evalFraction: 0.25
                    training:
                      learningRate: 1.0e-2
                      maxSteps: 3
                      batchSize: 4
                      maxLength: 32
                      maxPromptLength: 16
                      logEverySteps: 1
                      evalEverySteps: 2
                  grid:
                    method: [DPO, ORPO]
                    dpo.beta: [0.1, 0.5]
                    orpo.lambda: [0.1]
                  evaluation:
                    prompts: 3
                    maxNewTokens: 4
                    rules: [closer-to-chosen]
                    judge: closer-to-chosen
                """);
        workDir = root.resolve("work");
        first = CliRun.of("compare", "-f", root.resolve("experiment.yaml").toString(), "--work-dir",
                workDir.toString());
    }

    @Test
    @Order(1)
    void everyRunTrainsFromTheSameStartAndTheReportIsWritten() {
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("experiment cmp: 3 runs").contains("report: ");
        for (String run : RUNS) {
            Path dir = workDir.resolve(run);
            assertThat(dir.resolve("output/model.safetensors")).exists();
            assertThat(dir.resolve("metrics.jsonl")).exists();
            assertThat(dir.resolve("evaluation.json")).exists();
        }
        assertThat(workDir.resolve("starting-model/evaluation.json")).exists();
        assertThat(workDir.resolve("report/report.md")).exists();
    }

    @Test
    @Order(2)
    void theReportsNumbersAreTheRunsOwn() throws Exception {
        String report = Files.readString(workDir.resolve("report/report.md"));
        List<Map<String, String>> finals = MarkdownTables.after(report, "## Final training metrics");
        assertThat(finals).extracting(r -> r.get("run")).containsExactlyElementsOf(RUNS);
        for (Map<String, String> row : finals) {
            List<JsonNode> lines = TinyJob.jsonLines(workDir.resolve(row.get("run")).resolve("metrics.jsonl"));
            assertThat(row.get("last step")).isEqualTo(lines.get(lines.size() - 1).path("step").asText());
            for (String metric : ReportWriter.FINAL_METRICS) {
                JsonNode last = null;
                for (JsonNode line : lines) {
                    if (line.has(metric)) {
                        last = line.get(metric);
                    }
                }
                assertThat(last).as(row.get("run") + " logged " + metric).isNotNull();
                assertThat(Double.parseDouble(row.get(metric))).as(row.get("run") + " " + metric)
                        .isCloseTo(last.asDouble(), within(5e-5 + 5e-4 * Math.abs(last.asDouble())));
            }
        }

        List<Map<String, String>> ranking = MarkdownTables.after(report, "## Ranking");
        assertThat(ranking.get(0).get("run")).isEqualTo("starting model");
        JsonNode start = JSON.readTree(workDir.resolve("starting-model/evaluation.json").toFile());
        assertThat(start.path("pairs").asInt()).isEqualTo(4); // 25% of 16 held out
        assertThat(Double.parseDouble(ranking.get(0).get("pref. accuracy")))
                .isCloseTo(start.path("preferenceAccuracy").asDouble(), within(5e-5));
        assertThat(ranking.subList(1, 4)).extracting(r -> r.get("run")).containsExactlyInAnyOrderElementsOf(RUNS);
        assertThat(ranking.subList(1, 4)).extracting(r -> r.get("rank")).containsExactly("1", "2", "3");
        double previous = Double.POSITIVE_INFINITY;
        for (Map<String, String> row : ranking.subList(1, 4)) {
            Path dir = workDir.resolve(row.get("run"));
            JsonNode evaluation = JSON.readTree(dir.resolve("evaluation.json").toFile());
            JsonNode record = JSON.readTree(dir.resolve("run-record.json").toFile());
            double accuracy = Double.parseDouble(row.get("pref. accuracy"));
            assertThat(accuracy).isCloseTo(evaluation.path("preferenceAccuracy").asDouble(), within(5e-5));
            assertThat(accuracy).as("ranked by preference accuracy").isLessThanOrEqualTo(previous);
            previous = accuracy;
            assertThat(Double.parseDouble(row.get("logp margin")))
                    .isCloseTo(evaluation.path("logpMargin").asDouble(), within(5e-5 + 5e-4 * Math.abs(
                            evaluation.path("logpMargin").asDouble())));
            assertThat(Double.parseDouble(row.get("closer-to-chosen")))
                    .isEqualTo(evaluation.path("rulePassRates").path("closer-to-chosen").asDouble(), within(5e-5));
            assertThat(Double.parseDouble(row.get("win rate vs start"))).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(row.get("time (s)")))
                    .isCloseTo(record.path("seconds").asDouble(), within(0.051));
            assertThat(row.get("state")).isEqualTo("Succeeded");
            assertThat(evaluation.path("generations")).hasSize(3);
        }
    }

    @Test
    @Order(3)
    void chartsHaveOneSeriesPerRunAndAreValidPngs() throws Exception {
        ExperimentResults results = ResultsLoader.load(workDir);
        Map<String, ReportCharts.Chart> charts = ReportCharts.of(results).stream()
                .collect(Collectors.toMap(ReportCharts.Chart::file, c -> c));
        assertThat(charts).containsOnlyKeys("training-loss.png", "reward-accuracy.png", "reward-margin.png",
                "eval-loss.png", "eval-reward-accuracy.png", "evaluation.png", "time.png", "memory.png");
        for (String file : List.of("training-loss.png", "reward-accuracy.png", "reward-margin.png", "eval-loss.png",
                "eval-reward-accuracy.png")) {
            XYSeriesCollection data = (XYSeriesCollection) charts.get(file).chart().getXYPlot().getDataset();
            assertThat(data.getSeries()).extracting(s -> ((XYSeries) s).getKey()).as(file)
                    .containsExactlyElementsOf(RUNS);
        }
        XYSeries loss = ((XYSeriesCollection) charts.get("training-loss.png").chart().getXYPlot().getDataset())
                .getSeries(RUNS.get(2));
        List<JsonNode> lossLines = TinyJob.jsonLines(workDir.resolve(RUNS.get(2)).resolve("metrics.jsonl")).stream()
                .filter(l -> l.has("loss")).toList();
        assertThat(loss.getItemCount()).isEqualTo(lossLines.size());
        for (int i = 0; i < lossLines.size(); i++) {
            assertThat(loss.getX(i).longValue()).isEqualTo(lossLines.get(i).path("step").asLong());
            assertThat(loss.getY(i).doubleValue()).isEqualTo(lossLines.get(i).path("loss").asDouble());
        }
        DefaultCategoryDataset evaluation = (DefaultCategoryDataset) charts.get("evaluation.png").chart()
                .getCategoryPlot().getDataset();
        assertThat(evaluation.getColumnKeys()).containsExactly("starting model", RUNS.get(0), RUNS.get(1),
                RUNS.get(2));
        assertThat(evaluation.getRowKeys()).containsExactly("preference accuracy", "closer-to-chosen pass rate",
                "win rate vs starting model");
        DefaultCategoryDataset time = (DefaultCategoryDataset) charts.get("time.png").chart().getCategoryPlot()
                .getDataset();
        assertThat(time.getRowKeys()).containsExactly("whole run", "training loop");
        assertThat(time.getColumnKeys()).containsExactlyElementsOf(RUNS);

        String report = Files.readString(workDir.resolve("report/report.md"));
        for (String file : charts.keySet()) {
            assertThat(report).contains("](" + file + ")");
            BufferedImage image = ImageIO.read(workDir.resolve("report").resolve(file).toFile());
            assertThat(image).as(file).isNotNull();
            assertThat(image.getWidth()).isEqualTo(ReportCharts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(ReportCharts.HEIGHT);
        }
    }

    @Test
    @Order(4)
    void eachRunIsRecordedExactlyEnoughToReproduceIt() throws Exception {
        String report = Files.readString(workDir.resolve("report/report.md"));
        String dataSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(root.resolve("data/pairs.jsonl"))));
        for (String run : RUNS) {
            Path dir = workDir.resolve(run);
            JsonNode record = JSON.readTree(dir.resolve("run-record.json").toFile());
            assertThat(record.path("seed").asLong()).isEqualTo(42);
            assertThat(record.path("revisions").path("model").path("revision").asText())
                    .matches("sha256:[0-9a-f]{64} of config.json and the names and sizes of \\d+ files");
            assertThat(record.path("revisions").path("dataset").path("revision").asText())
                    .isEqualTo("sha256:" + dataSha + " of the file");
            assertThat(record.path("codeVersion").asText()).isNotBlank();
            assertThat(record.path("startedAt").asText()).isNotBlank();
            String job = Files.readString(dir.resolve("job.yaml"), StandardCharsets.UTF_8);
            assertThat(job).contains("name: " + run).contains("seed: 42")
                    .contains("source: " + root.resolve("base").toAbsolutePath());
            assertThat(report).contains("### " + run).contains(job.strip())
                    .contains("- Seed: 42").contains("- Code version: " + record.path("codeVersion").asText());
        }
        // the recorded job reruns on its own: same spec, read back by the job parser
        assertThat(JobManifests.read(workDir.resolve(RUNS.get(1)).resolve("job.yaml"))
                .getSpec().getDpo().getBeta()).isEqualTo(0.5);
    }

    @Test
    @Order(5)
    void aSecondCompareKeepsFinishedRunsAndReportRewritesTheReport() {
        CliRun again = CliRun.of("compare", "-f", root.resolve("experiment.yaml").toString(), "--work-dir",
                workDir.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out().lines().filter(l -> l.contains("finished earlier, not run again"))).hasSize(3);
        assertThat(again.out()).doesNotContain("starting model: preference accuracy");

        CliRun report = CliRun.of("report", "--work-dir", workDir.toString(), "--output",
                root.resolve("again").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(root.resolve("again/report.md")).exists();
        assertThat(root.resolve("again/training-loss.png")).exists();
    }

    @Test
    @Order(6)
    void anInvalidExperimentRunsNothingAndNamesEveryProblem() throws Exception {
        Path bad = Files.writeString(root.resolve("bad.yaml"), Files.readString(root.resolve("experiment.yaml"))
                .replace("dpo.beta: [0.1, 0.5]", "dpo.beta: [0.1, high]\n    dpo.betta: [0.2]"));
        CliRun run = CliRun.of("compare", "-f", bad.toString(), "--work-dir", root.resolve("bad-work").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(bad + ":").contains("spec.dpo.beta must be a number, not the string \"high\"")
                .contains("unknown field spec.dpo.betta");
        assertThat(root.resolve("bad-work")).doesNotExist();

        CliRun dry = CliRun.of("compare", "-f", root.resolve("experiment.yaml").toString(), "--dry-run",
                "--work-dir", root.resolve("dry").toString());
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains(RUNS.get(0)).contains(RUNS.get(2));
        assertThat(root.resolve("dry")).doesNotExist();
    }
}
