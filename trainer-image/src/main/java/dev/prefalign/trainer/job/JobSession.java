package dev.prefalign.trainer.job;

import ai.djl.ndarray.NDManager;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.trainer.loss.OrpoLoss;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.tokenizer.ChatTemplateException;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import dev.prefalign.trainer.tokens.ExampleTokenizer;
import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.tokens.TokenizedSequence;
import dev.prefalign.trainer.tokens.Truncation;
import dev.prefalign.trainer.train.Objective;
import dev.prefalign.trainer.train.PreferenceObjective;
import dev.prefalign.trainer.train.ReferenceSource;
import dev.prefalign.trainer.train.SftObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Everything a job computes with, loaded once: the policy (and DPO's reference), the tokenizer and the tokenized data,
 * plus the objectives built from them. Shared by {@code run} and {@code evaluate} so both score the same way.
 */
public final class JobSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobSession.class.getName());

    private final PreferenceAlignmentJob job;
    private final NDManager manager;
    private final Path modelDir;
    private final TextTokenizer tokenizer;
    private final CausalLm policy;
    private final TokenizedData data;
    private final ReferenceSource trainReference;
    private final ReferenceSource evalReference;
    private CausalLm reference;

    /**
     * @param policyOverride a model folder to score instead of the manifest's model ({@code evaluate --model}); the
     *     reference stays the manifest's
     */
    public JobSession(PreferenceAlignmentJob job, SourceLocations sources, Path workDir, Path policyOverride,
            boolean evalOnly) throws JobException, IOException {
        this.job = job;
        PreferenceAlignmentJobSpec spec = job.getSpec();
        ComputeDevice compute = ComputeDevice.select(spec.getTraining().getPrecision());
        LOG.info("computing in " + compute.precisionNote());
        this.manager = NDManager.newBaseManager(compute.device(), "PyTorch");
        try {
            this.modelDir = sources.resolve(spec.getModel().getSource(), "spec.model.source");
            Path policyDir = policyOverride != null ? policyOverride : modelDir;
            this.tokenizer = loadTokenizer(modelDir);
            this.policy = load(policyDir, "spec.model.source");
            policy.setComputeType(compute.compute());
            Path datasetPath = sources.resolveDataset(spec.getDataset(), "spec.dataset.source");
            Truncation truncation = new Truncation(spec.getTraining().getMaxPromptLength(),
                    spec.getTraining().getMaxLength());
            this.data = JobData.load(spec.getMethod(), spec.getDataset(), datasetPath,
                    new ExampleTokenizer(tokenizer, truncation), spec.getTraining().getSeed(), evalOnly);
            if (spec.getMethod() == Method.DPO) {
                this.reference = spec.getReferenceModel() != null && spec.getReferenceModel().getSource() != null
                        ? load(sources.resolve(spec.getReferenceModel().getSource(), "spec.referenceModel.source"),
                                "spec.referenceModel.source")
                        : (policyOverride != null ? load(modelDir, "spec.model.source") : policy.frozenCopy());
                reference.setTrainable(false);
                reference.setComputeType(compute.compute());
                if (spec.getDpo().isPrecomputeReferenceLogProbs()) {
                    int bs = spec.getTraining().getBatchSize();
                    trainReference = ReferencePrecompute.load(workDir.resolve("reference-logps/train.json"),
                            data.trainPairs(), reference, bs, tokenizer.padId());
                    evalReference = ReferencePrecompute.load(workDir.resolve("reference-logps/eval.json"),
                            data.evalPairs(), reference, bs, tokenizer.padId());
                    reference.close();
                    reference = null;
                    LOG.info("reference log-probs precomputed; reference weights freed");
                } else {
                    trainReference = new ReferenceSource.Live(reference);
                    evalReference = trainReference;
                }
            } else {
                trainReference = null;
                evalReference = null;
            }
        } catch (JobException | IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A model folder without usable tokenizer files is the user's input to fix, not a crash to retry. */
    private static TextTokenizer loadTokenizer(Path dir) throws JobException {
        try {
            return TextTokenizer.load(dir);
        } catch (IOException | ChatTemplateException e) {
            throw new JobException("spec.model.source: " + e.getMessage(), e);
        }
    }

    private CausalLm load(Path dir, String field) throws JobException {
        try {
            return ModelStore.load(dir, manager);
        } catch (IOException e) {
            throw new JobException(field + ": " + e.getMessage(), e);
        }
    }

    public PreferenceAlignmentJob job() {
        return job;
    }

    public CausalLm policy() {
        return policy;
    }

    public Path modelDir() {
        return modelDir;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public TokenizedData data() {
        return data;
    }

    public Objective trainObjective() {
        return objective(data.trainPairs(), data.trainSequences(), trainReference);
    }

    /** The eval set's objective, or null when the job has no eval set. */
    public Objective evalObjective() {
        return data.hasEval() ? objective(data.evalPairs(), data.evalSequences(), evalReference) : null;
    }

    private Objective objective(List<TokenizedPair> pairs,
            List<TokenizedSequence> sequences, ReferenceSource ref) {
        PreferenceAlignmentJobSpec spec = job.getSpec();
        int pad = tokenizer.padId();
        return switch (spec.getMethod()) {
            case DPO -> new PreferenceObjective(policy, pairs, Settings.dpoLoss(spec.getDpo()), ref, pad);
            case ORPO -> new PreferenceObjective(policy, pairs,
                    new OrpoLoss(spec.getOrpo().getLambda()), null, pad);
            case SFT -> new SftObjective(policy, sequences, pad);
        };
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
