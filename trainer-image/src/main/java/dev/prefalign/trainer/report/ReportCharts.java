package dev.prefalign.trainer.report;

import dev.prefalign.trainer.evaluation.ModelEvaluation;
import dev.prefalign.trainer.evaluation.WinRate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, built as JFreeChart objects (so tests can read their datasets) and written as PNG files. They
 * render without a display: {@code java.awt.headless} is set before AWT loads, unless the caller chose otherwise.
 */
public final class ReportCharts {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportCharts() {
    }

    /**
     * A chart and the file it goes to.
     *
     * @param caption one sentence under the chart in the report
     */
    public record Chart(String file, String title, String caption, JFreeChart chart) {
        public void writePng(Path dir) throws IOException {
            ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, WIDTH, HEIGHT);
        }
    }

    /** The charts the results have data for, in report order. */
    public static List<Chart> of(ExperimentResults results) {
        List<Chart> out = new ArrayList<>();
        curve(results, "training-loss.png", "Training loss", "loss", "loss",
                "The objective each method minimises, as logged; DPO's and ORPO's losses are different quantities, "
                        + "so compare their shapes, not their levels.").ifPresent(out::add);
        curve(results, "reward-accuracy.png", "Reward accuracy (training)", "rewards/accuracies",
                "rewards/accuracies", "Share of the batch's pairs whose implicit reward favours the chosen reply "
                        + "(TRL's rewards/accuracies).").ifPresent(out::add);
        curve(results, "reward-margin.png", "Reward margin (training)", "rewards/margins", "rewards/margins",
                "Mean chosen minus rejected implicit reward; DPO scales it by beta, ORPO by lambda.")
                .ifPresent(out::add);
        curve(results, "eval-loss.png", "Evaluation loss", "eval_loss", "eval_loss",
                "The method's loss on the eval set at each evaluation during training.").ifPresent(out::add);
        curve(results, "eval-reward-accuracy.png", "Reward accuracy (evaluation)", "eval_rewards/accuracies",
                "eval_rewards/accuracies", "The method's reward accuracy on the eval set during training.")
                .ifPresent(out::add);
        evaluation(results).ifPresent(out::add);
        time(results).ifPresent(out::add);
        memory(results).ifPresent(out::add);
        return out;
    }

    /** One series per run that logged the metric. */
    static Optional<Chart> curve(ExperimentResults results, String file, String title, String key, String yLabel,
            String caption) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunOutcome run : results.runs()) {
            List<MetricsHistory.Point> points = run.metrics().series(key);
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries(run.name(), false, true);
            points.forEach(p -> series.add(p.step(), p.value()));
            data.addSeries(series);
        }
        if (data.getSeriesCount() == 0) {
            return Optional.empty();
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        style(chart);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        return Optional.of(new Chart(file, title, caption, chart));
    }

    /** Method-independent scores of the starting model and each evaluated run, all in [0, 1]. */
    static Optional<Chart> evaluation(ExperimentResults results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        ModelEvaluation start = results.startingModel();
        if (start != null && start.ok()) {
            add(data, ExperimentResults.STARTING_MODEL, start, null);
        }
        for (RunOutcome run : results.runs()) {
            if (run.evaluated()) {
                add(data, run.name(), run.evaluation(),
                        results.winRate(run.name(), ExperimentResults.STARTING_MODEL).orElse(null));
            }
        }
        if (data.getColumnCount() == 0) {
            return Optional.empty();
        }
        JFreeChart chart = bars("Held-out evaluation", "share (0 to 1)", data);
        ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setRange(0, 1.05);
        return Optional.of(new Chart("evaluation.png", "Held-out evaluation", "Preference accuracy (log p(chosen) > "
                + "log p(rejected)), the share of greedy replies passing each rule, and the judge's win rate over the "
                + "starting model (ties count half).", chart));
    }

    private static void add(DefaultCategoryDataset data, String column, ModelEvaluation e, WinRate vsStart) {
        data.addValue(e.preferenceAccuracy(), "preference accuracy", column);
        e.rulePassRates().forEach((rule, rate) -> {
            if (Double.isFinite(rate)) {
                data.addValue(rate, rule + " pass rate", column);
            }
        });
        if (vsStart != null && Double.isFinite(vsStart.rate())) {
            data.addValue(vsStart.rate(), "win rate vs starting model", column);
        }
    }

    static Optional<Chart> time(ExperimentResults results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (RunOutcome run : results.runs()) {
            if (Double.isFinite(run.record().seconds())) {
                data.addValue(run.record().seconds(), "whole run", run.name());
            }
            if (Double.isFinite(run.record().trainSeconds())) {
                data.addValue(run.record().trainSeconds(), "training loop", run.name());
            }
        }
        if (data.getColumnCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Chart("time.png", "Time per run", "Wall time of each run (loading, training, "
                + "evaluations during training, export) and of its training loop alone.",
                bars("Time per run", "seconds", data)));
    }

    static Optional<Chart> memory(ExperimentResults results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (RunOutcome run : results.runs()) {
            if (run.record().peakRssBytes() >= 0) {
                data.addValue(run.record().peakRssBytes() / (1024.0 * 1024.0), "peak RSS", run.name());
            }
        }
        if (data.getColumnCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Chart("memory.png", "Peak memory per run", "Peak resident memory of the trainer "
                + "process during each run (native tensors included).", bars("Peak memory per run", "MiB", data)));
    }

    private static JFreeChart bars(String title, String valueLabel, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        style(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (data.getColumnCount() > 3) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
    }
}
