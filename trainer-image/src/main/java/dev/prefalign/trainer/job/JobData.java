package dev.prefalign.trainer.job;

import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.trainer.data.DatasetException;
import dev.prefalign.trainer.data.DatasetFormat;
import dev.prefalign.trainer.data.DatasetReadResult;
import dev.prefalign.trainer.data.InvalidRowPolicy;
import dev.prefalign.trainer.data.PreferenceDatasets;
import dev.prefalign.trainer.data.PreferenceExample;
import dev.prefalign.trainer.data.SftDatasets;
import dev.prefalign.trainer.data.SftExample;
import dev.prefalign.trainer.tokenizer.ChatTemplateException;
import dev.prefalign.trainer.tokens.ExampleTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Reads a job's dataset (train split, and the eval split or a held-out fraction) and tokenizes it. A held-out fraction
 * is drawn with the training seed, so reruns hold out the same rows.
 */
public final class JobData {
    private static final Logger LOG = Logger.getLogger(JobData.class.getName());

    private JobData() {
    }

    /** Reads one split of the source (maxSamples 0 = all). */
    @FunctionalInterface
    private interface SplitReader<T> {
        DatasetReadResult<T> read(String split, int maxSamples) throws DatasetException;
    }

    /** @param evalOnly when an eval split exists, skip reading the train split (for {@code evaluate}) */
    public static TokenizedData load(Method method, DatasetSpec spec, Path source, ExampleTokenizer tokenizer,
            long seed, boolean evalOnly) throws JobException {
        DatasetFormat format = DatasetFormat.valueOf(spec.getFormat().name());
        InvalidRowPolicy policy = InvalidRowPolicy.valueOf(spec.getInvalidRows().name());
        try {
            if (method == Method.SFT) {
                Split<SftExample> s = splits(spec, seed, evalOnly,
                        (split, max) -> SftDatasets.read(source, split, format, policy, max));
                return new TokenizedData(List.of(), List.of(), tokenizer.sequences(s.train()),
                        tokenizer.sequences(s.eval()));
            }
            Split<PreferenceExample> s = splits(spec, seed, evalOnly,
                    (split, max) -> PreferenceDatasets.read(source, split, format, policy, max));
            return new TokenizedData(tokenizer.pairs(s.train()), tokenizer.pairs(s.eval()), List.of(), List.of());
        } catch (DatasetException | IllegalArgumentException | ChatTemplateException e) {
            throw new JobException("spec.dataset: " + e.getMessage(), e);
        }
    }

    private static <T> Split<T> splits(DatasetSpec spec, long seed, boolean evalOnly, SplitReader<T> reader)
            throws DatasetException, JobException {
        boolean hasEvalSplit = spec.getEvalSplit() != null && !spec.getEvalSplit().isBlank();
        List<T> train = evalOnly && hasEvalSplit ? List.of()
                : read(reader.read(spec.getSplit(), spec.getMaxSamples()), spec.getSplit());
        List<T> eval = hasEvalSplit ? read(reader.read(spec.getEvalSplit(), 0), spec.getEvalSplit()) : List.of();
        return holdOut(train, eval, spec.getEvalFraction(), seed);
    }

    private static <T> List<T> read(DatasetReadResult<T> r, String which) throws JobException {
        if (r.skippedRows() > 0) {
            LOG.warning("skipped " + r.skippedRows() + " invalid rows of split " + which + "; first reasons: " + r.skipReasons());
        }
        if (r.examples().isEmpty()) {
            throw new JobException("spec.dataset: split " + which + " has no valid rows"
                    + (r.skippedRows() > 0 ? " (" + r.skippedRows() + " skipped: " + r.skipReasons() + ")" : ""));
        }
        return r.examples();
    }

    private record Split<T>(List<T> train, List<T> eval) {
    }

    private static <T> Split<T> holdOut(List<T> train, List<T> eval, double fraction, long seed) {
        if (fraction <= 0 || !eval.isEmpty() || train.isEmpty()) {
            return new Split<>(train, eval);
        }
        int n = train.size();
        int held = Math.max(1, (int) Math.round(n * fraction));
        boolean[] isEval = new boolean[n];
        SplittableRandom random = new SplittableRandom(seed);
        int chosen = 0;
        while (chosen < held) {
            int i = random.nextInt(n);
            if (!isEval[i]) {
                isEval[i] = true;
                chosen++;
            }
        }
        List<T> t = new ArrayList<>();
        List<T> e = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (isEval[i] ? e : t).add(train.get(i));
        }
        return new Split<>(t, e);
    }

}
