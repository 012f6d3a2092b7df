package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.testkit.GrafanaDashboard;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.train.ProgressReporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard's Trainer rows query is one a real trainer exposes. Two tiny runs (DPO with an
 * evaluation and checkpoints, then ORPO) are scraped on /metrics from start to end, because some series exist only
 * while training (the ETA) or after an event (the newest checkpoint's step); the union of what was seen is compared
 * with the dashboard, metric names and the TRL names it selects in the {@code name} label alike.
 */
class DashboardTrainerMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s");
    private static final Pattern NAME_LABEL = Pattern.compile("(?<![\\w])name=\"([^\"]*)\"");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    /** Labels Prometheus adds to every trainer series from the PodMonitor's target, not in the exposition. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod");
    private static final Map<String, Set<String>> SERIES = new ConcurrentHashMap<>();
    private static final Set<String> TRAIN_NAMES = new ConcurrentSkipListSet<>();
    private static final Set<String> EVAL_NAMES = new ConcurrentSkipListSet<>();

    @BeforeAll
    static void scrapeTwoRealRuns(@TempDir Path tmp) throws Exception {
        TinyJob.model(tmp.resolve("model"), 4);
        TinyJob.writePairs(tmp.resolve("prefs.jsonl"), TinyJob.pairs(120, 8).stream()
                .filter(p -> !p.chosen().equals(p.rejected())).toList());
        scrapeDuring(tmp, "dashboard-dpo", "DPO", "dpo:\n    beta: 0.1\n");
        scrapeDuring(tmp, "dashboard-orpo", "ORPO", "orpo:\n    lambda: 0.1\n");
    }

    private static void scrapeDuring(Path tmp, String name, String method, String methodSection) throws Exception {
        Path manifest = tmp.resolve(name + ".yaml");
        Files.writeString(manifest, """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: %s
                spec:
                  method: %s
                  model:
                    source: model
                  dataset:
                    source: prefs.jsonl
                    evalFraction: 0.2
                  %s  checkpoints:
                    everySteps: 10
                    keep: 1
                  training:
                    batchSize: 2
                    maxSteps: 30
                    logEverySteps: 2
                    evalEverySteps: 15
                    learningRate: 1.0e-3
                """.formatted(name, method, methodSection), StandardCharsets.UTF_8);
        TrainingStatus status = new TrainingStatus();
        AtomicBoolean done = new AtomicBoolean();
        try (StatusServer server = StatusServer.start(0, status)) {
            Thread scraper = new Thread(() -> {
                while (!done.get()) {
                    record(Http.get(server.port(), "/metrics").body());
                }
            });
            scraper.start();
            try {
                JobRunner.run(JobManifests.read(manifest), SourceLocations.of(tmp, tmp.resolve(name)),
                        tmp.resolve(name), ProgressReporter.silent(), status);
            } finally {
                done.set(true);
                scraper.join();
            }
            record(Http.get(server.port(), "/metrics").body());
        }
    }

    private static void record(String exposition) {
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = SERIES.computeIfAbsent(m.group(1), n -> new ConcurrentSkipListSet<>());
            Matcher labelName = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (labelName.find()) {
                labels.add(labelName.group(1));
            }
            Matcher trlName = NAME_LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            if (m.group(1).equals("prefalign_train_metric") && trlName.find()) {
                TRAIN_NAMES.add(trlName.group(1));
            } else if (m.group(1).equals("prefalign_eval_metric") && trlName.find()) {
                EVAL_NAMES.add(trlName.group(1));
            }
        }
    }

    @Test
    void everyTrainerMetricTheDashboardQueriesIsExposed() throws Exception {
        List<String> expressions = GrafanaDashboard.read().expressions("Trainer");
        assertThat(expressions).as("the dashboard has Trainer rows").isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (String expr : expressions) {
            Set<String> names = GrafanaDashboard.metricNames(expr);
            assertThat(names).as("a metric in: " + expr).isNotEmpty();
            names.stream().filter(n -> !SERIES.containsKey(n)).forEach(n -> missing.add(n + " (in " + expr + ")"));
            Set<String> labels = new TreeSet<>(TARGET_LABELS);
            names.forEach(n -> labels.addAll(SERIES.getOrDefault(n, Set.of())));
            GrafanaDashboard.labelNames(expr).stream().filter(l -> !labels.contains(l))
                    .forEach(l -> missing.add("label " + l + " (in " + expr + ")"));
        }
        assertThat(missing).as("dashboard metrics or labels that no trainer exposes; the trainer exposes " + SERIES)
                .isEmpty();
    }

    @Test
    void everyTrlNameTheDashboardSelectsIsReported() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String expr : GrafanaDashboard.read().expressions("Trainer")) {
            GrafanaDashboard.labelValues(expr, "prefalign_train_metric", "name").stream()
                    .filter(n -> !TRAIN_NAMES.contains(n)).forEach(n -> missing.add("train " + n));
            GrafanaDashboard.labelValues(expr, "prefalign_eval_metric", "name").stream()
                    .filter(n -> !EVAL_NAMES.contains(n)).forEach(n -> missing.add("eval " + n));
        }
        assertThat(missing).as("TRL names the dashboard selects but no DPO or ORPO run reports; train: " + TRAIN_NAMES
                + ", eval: " + EVAL_NAMES).isEmpty();
    }

    @Test
    void theParserFindsMetricsAndNotFunctionsLabelsOrVariables() {
        assertThat(GrafanaDashboard.metricNames("histogram_quantile(0.9, sum by (pod, le) (rate("
                + "prefalign_step_duration_seconds_bucket{namespace=~\"$namespace\", pod=~\"${job:regex}-[a-z0-9]+\"}"
                + "[$__rate_interval]))) / on (pod) group_left prefalign_total_steps offset 5m"))
                .containsExactly("prefalign_step_duration_seconds_bucket", "prefalign_total_steps");
        assertThat(GrafanaDashboard.metricNames("time() - max by (pod) (prefalign_last_update_timestamp_seconds) > 1e3"))
                .containsExactly("prefalign_last_update_timestamp_seconds");
        assertThat(GrafanaDashboard.labelValues("max(prefalign_train_metric{pod=~\"a.+\", "
                + "name=~\"rewards/(chosen|rejected)|nll_loss\"})", "prefalign_train_metric", "name"))
                .containsExactly("rewards/chosen", "rewards/rejected", "nll_loss");
        assertThat(GrafanaDashboard.labelNames("sum by (pod, le) (rate(x{namespace=~\"a|b\", name!=\"c\"}[5m]))"))
                .containsExactlyInAnyOrder("pod", "le", "namespace", "name");
    }
}
