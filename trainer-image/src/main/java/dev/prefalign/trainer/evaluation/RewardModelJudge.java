package dev.prefalign.trainer.evaluation;

import dev.prefalign.trainer.evaluation.reward.RewardModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges two replies by a reward model's scores (see {@link RewardModel} for what is scored): the reply with the
 * higher reward wins; rewards closer than {@value #TIE_TOLERANCE} tie, since a float32 forward pass does not decide
 * differences below that (identical replies always tie).
 *
 * <p>The model is loaded at the first comparison, not when the report only needs the judge's description. Rewards are
 * cached per (prompt, reply), and {@link #compareAll} scores every reply of a win-rate table in batches.
 */
public final class RewardModelJudge implements Judge {
    public static final String NAME = "reward-model";
    public static final double TIE_TOLERANCE = 1e-6;

    private final RewardModelSettings settings;
    private RewardModel model;
    /** Why the model could not be loaded: a folder that cannot be read is not read again for every pair. */
    private UncheckedIOException loadFailure;

    /**
     * @param settings resolved settings (a local folder): {@code compare} resolves them, {@code report} reads them
     *                 from {@code experiment.json}
     */
    public RewardModelJudge(RewardModelSettings settings) {
        if (!settings.resolved()) {
            throw new IllegalArgumentException("the reward model " + settings.source() + " is not resolved to a "
                    + "local folder yet");
        }
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reply that the reward model " + settings.describe() + " scores higher wins (conversation rendered "
                + "with its chat template, at most " + settings.maxLength() + " tokens); rewards within "
                + TIE_TOLERANCE + " tie";
    }

    public RewardModelSettings settings() {
        return settings;
    }

    /** The verdict of two rewards: FIRST above, SECOND below, TIE within {@value #TIE_TOLERANCE}. */
    public static Verdict verdict(double first, double second) {
        double d = first - second;
        return Math.abs(d) <= TIE_TOLERANCE ? Verdict.TIE : d > 0 ? Verdict.FIRST : Verdict.SECOND;
    }

    @Override
    public Verdict compare(EvalPrompt prompt, String first, String second) {
        return compareAll(List.of(prompt), List.of(first), List.of(second)).get(0);
    }

    @Override
    public List<Verdict> compareAll(List<EvalPrompt> prompts, List<String> first, List<String> second) {
        List<RewardModel.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            exchanges.add(new RewardModel.Exchange(prompts.get(i).prompt(), first.get(i)));
            exchanges.add(new RewardModel.Exchange(prompts.get(i).prompt(), second.get(i)));
        }
        double[] rewards = model().rewards(exchanges);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            out.add(verdict(rewards[2 * i], rewards[2 * i + 1]));
        }
        return out;
    }

    /** The loaded reward model (loaded at the first call). */
    public synchronized RewardModel model() {
        if (loadFailure != null) {
            throw loadFailure;
        }
        if (model == null) {
            try {
                model = RewardModel.load(Path.of(settings.path()), settings.maxLength());
            } catch (IOException e) {
                loadFailure = new UncheckedIOException(RewardModelSettings.FIELD + " (" + settings.source() + "): "
                        + e.getMessage(), e);
                throw loadFailure;
            }
        }
        return model;
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
