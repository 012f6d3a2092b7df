package dev.prefalign.trainer.status;

import dev.prefalign.trainer.runtime.PeakMemory;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The run's Prometheus metrics, built at scrape time from one {@link StatusSnapshot}. The training thread never
 * touches a Prometheus object: the client's own Histogram takes a lock on observe while a scrape runs, and separate
 * counters could be read half-way through a step. TRL metrics are one gauge family per kind with the TRL name as
 * the {@code name} label ({@code prefalign_train_metric{name="rewards/accuracies"}}): names like {@code rewards/chosen}
 * and {@code rewards_chosen} would collide once sanitised, and a label keeps them exact and easy to select.
 */
final class TrainingMetrics implements MultiCollector {
    private final TrainingStatus status;

    TrainingMetrics(TrainingStatus status) {
        this.status = status;
    }

    @Override
    public MetricSnapshots collect() {
        StatusSnapshot s = status.snapshot();
        List<MetricSnapshot> out = new ArrayList<>();
        GaugeSnapshot.Builder phase = GaugeSnapshot.builder().name("prefalign_phase")
                .help("1 for the trainer's current phase, 0 for the others");
        for (Phase p : Phase.values()) {
            phase.dataPoint(point(p == s.phase() ? 1 : 0, Labels.of("phase", p.wireName())));
        }
        out.add(phase.build());
        out.add(gauge("prefalign_step", "Optimiser steps done", s.step()));
        out.add(gauge("prefalign_total_steps", "Optimiser steps planned in all (0 until the plan is known)",
                s.totalSteps()));
        out.add(gauge("prefalign_epoch", "Fractional epoch reached", s.epoch()));
        out.add(gauge("prefalign_progress_ratio", "Fraction of the planned steps done, 0 to 1", s.percent() / 100));
        if (s.etaSeconds() != null) {
            out.add(gauge("prefalign_eta_seconds", "Estimated seconds until training ends", s.etaSeconds(),
                    Unit.SECONDS));
        }
        if (s.tokensPerSecond() != null) {
            out.add(gauge("prefalign_tokens_per_second", "Training tokens per second over recent steps",
                    s.tokensPerSecond()));
        }
        if (s.metrics().containsKey("loss")) {
            out.add(gauge("prefalign_loss", "Training loss of the latest step", value(s.metrics().get("loss"))));
        }
        metricFamily(out, "prefalign_train_metric", "Latest step's train metrics; name is TRL's", s.metrics());
        metricFamily(out, "prefalign_eval_metric", "Latest evaluation's metrics; name is TRL's (eval_ prefix)",
                s.evalMetrics());
        out.add(counter("prefalign_tokens", "Tokens trained on, resumed steps included", s.tokens()));
        out.add(counter("prefalign_samples", "Examples consumed, resumed steps included", s.samples()));
        out.add(stepTimes(s.stepTimes()));
        out.add(counter("prefalign_checkpoints_written", "Checkpoints this process completed",
                s.checkpointsWritten()));
        if (s.lastCheckpointStep() != null) {
            out.add(gauge("prefalign_last_checkpoint_step", "Step of the newest checkpoint this process completed",
                    s.lastCheckpointStep()));
        }
        out.add(gauge("prefalign_last_update_timestamp_seconds", "When the trainer last reported (Unix time)",
                s.updatedAt().toEpochMilli() / 1000.0, Unit.SECONDS));
        OptionalLong peak = PeakMemory.residentBytes();
        if (peak.isPresent()) {
            out.add(gauge("prefalign_resident_memory_peak_bytes",
                    "Peak resident set (native tensors included) since start or the last reset, from VmHWM",
                    peak.getAsLong(), Unit.BYTES));
        }
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("prefalign_phase", "prefalign_step", "prefalign_total_steps", "prefalign_epoch",
                "prefalign_progress_ratio", "prefalign_eta_seconds", "prefalign_tokens_per_second", "prefalign_loss",
                "prefalign_train_metric", "prefalign_eval_metric", "prefalign_tokens", "prefalign_samples",
                "prefalign_step_duration_seconds", "prefalign_checkpoints_written", "prefalign_last_checkpoint_step",
                "prefalign_last_update_timestamp_seconds", "prefalign_resident_memory_peak_bytes");
    }

    private static void metricFamily(List<MetricSnapshot> out, String name, String help, Map<String, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((metric, v) -> family.dataPoint(point(value(v), Labels.of("name", metric))));
        out.add(family.build());
    }

    private static HistogramSnapshot stepTimes(StepTimes t) {
        double[] bounds = t.upperBounds().stream().mapToDouble(Double::doubleValue).toArray();
        long[] counts = t.bucketCounts().stream().mapToLong(Long::longValue).toArray();
        return HistogramSnapshot.builder().name("prefalign_step_duration_seconds").unit(Unit.SECONDS)
                .help("Duration of optimiser steps, evaluation and checkpoint time excluded")
                .dataPoint(new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, counts), t.sumSeconds(),
                        Labels.EMPTY, Exemplars.EMPTY, 0))
                .build();
    }

    /** Non-finite metrics are null in the snapshot (JSON has no NaN); Prometheus can say NaN. */
    private static double value(Double v) {
        return v != null ? v : Double.NaN;
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(value, Labels.EMPTY)).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value, Unit unit) {
        return GaugeSnapshot.builder().name(name).help(help).unit(unit).dataPoint(point(value, Labels.EMPTY)).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
