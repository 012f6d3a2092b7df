package dev.prefalign.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.prefalign.api.v1alpha1.spec.CheckpointsSpec;
import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.DpoSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import dev.prefalign.api.v1alpha1.spec.OrpoSpec;
import dev.prefalign.api.v1alpha1.spec.ResourcesSpec;
import dev.prefalign.api.v1alpha1.spec.RunPolicySpec;
import dev.prefalign.api.v1alpha1.spec.StorageSpec;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * What to train, on what, and how. Every section is non-null: one left out of a manifest holds its defaults, which
 * are written once, as the field initialisers of the section classes (and repeated as {@code @Default} for the CRD).
 */
// The API server's copy of SpecValidator's cross-section rules. A left-out section is absent after defaulting (no
// section carries a default of its own), and one that only restates its defaults changes nothing, so "dpo/orpo only
// with their method" compares against the defaults, as SpecValidator does: the contract's DPO example, which lists an
// orpo section of defaults, stays valid. The literals below are the field defaults; CelRulesTest checks they agree.
@ValidationRule(value = "self.method == 'DPO' || !has(self.referenceModel)", fieldPath = ".referenceModel",
        message = "referenceModel applies only to method DPO; remove it or set method: DPO")
@ValidationRule(value = "self.method == 'DPO' || !has(self.dpo) || (self.dpo.beta == 0.1 "
        + "&& self.dpo.lossType == 'sigmoid' && self.dpo.labelSmoothing == 0.0 "
        + "&& !self.dpo.precomputeReferenceLogProbs)", fieldPath = ".dpo",
        message = "dpo applies only to method DPO; remove the section or set method: DPO")
@ValidationRule(value = "self.method == 'ORPO' || !has(self.orpo) || self.orpo.lambda == 0.1", fieldPath = ".orpo",
        message = "orpo applies only to method ORPO; remove the section or set method: ORPO")
@ValidationRule(value = "!has(self.training) || self.training.evalEverySteps == 0 || has(self.dataset.evalSplit) "
        + "|| self.dataset.evalFraction > 0.0", fieldPath = ".training.evalEverySteps",
        message = "training.evalEverySteps > 0 needs an eval set; set dataset.evalSplit or dataset.evalFraction, or "
                + "set evalEverySteps to 0")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreferenceAlignmentJobSpec {

    @Required
    @PrinterColumn(name = "Method")
    @JsonPropertyDescription("Training objective: DPO, ORPO or SFT.")
    private Method method;

    @Required
    @JsonPropertyDescription("The policy model to align (its initial weights and tokenizer).")
    private ModelSpec model = new ModelSpec();

    @Nullable
    @JsonPropertyDescription("DPO only: the frozen reference model. Left out: a frozen copy of the initial policy.")
    private ModelSpec referenceModel;

    @Required
    @JsonPropertyDescription("The preference pairs to train on and the evaluation hold-out.")
    private DatasetSpec dataset = new DatasetSpec();

    @JsonPropertyDescription("DPO settings; only with method DPO.")
    private DpoSpec dpo = new DpoSpec();

    @JsonPropertyDescription("ORPO settings; only with method ORPO.")
    private OrpoSpec orpo = new OrpoSpec();

    @JsonPropertyDescription("Optimiser, schedule, batching and logging.")
    private TrainingSpec training = new TrainingSpec();

    @JsonPropertyDescription("Checkpoint interval, retention and resume policy.")
    private CheckpointsSpec checkpoints = new CheckpointsSpec();

    @JsonPropertyDescription("The job's volume (cache, checkpoints, output). Cluster only.")
    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("Resources and scheduling of the trainer Pod. Cluster only.")
    private ResourcesSpec resources = new ResourcesSpec();

    // The generator reads a default as JSON where it can; a bare empty value would become null.
    @Default("\"\"")
    @Size(max = 512) // bounds the cost the API server estimates for the rule that freezes the spec
    @JsonPropertyDescription("Trainer container image; empty = the operator's configured default. Cluster only.")
    private String image = "";

    @JsonPropertyDescription("Suspension, retries, deadline and clean-up of the trainer Job. Cluster only.")
    private RunPolicySpec runPolicy = new RunPolicySpec();

    public Method getMethod() {
        return method;
    }

    public void setMethod(Method method) {
        this.method = method;
    }

    public ModelSpec getModel() {
        return model;
    }

    public void setModel(ModelSpec model) {
        this.model = model;
    }

    public ModelSpec getReferenceModel() {
        return referenceModel;
    }

    public void setReferenceModel(ModelSpec referenceModel) {
        this.referenceModel = referenceModel;
    }

    public DatasetSpec getDataset() {
        return dataset;
    }

    public void setDataset(DatasetSpec dataset) {
        this.dataset = dataset;
    }

    public DpoSpec getDpo() {
        return dpo;
    }

    public void setDpo(DpoSpec dpo) {
        this.dpo = dpo;
    }

    public OrpoSpec getOrpo() {
        return orpo;
    }

    public void setOrpo(OrpoSpec orpo) {
        this.orpo = orpo;
    }

    public TrainingSpec getTraining() {
        return training;
    }

    public void setTraining(TrainingSpec training) {
        this.training = training;
    }

    public CheckpointsSpec getCheckpoints() {
        return checkpoints;
    }

    public void setCheckpoints(CheckpointsSpec checkpoints) {
        this.checkpoints = checkpoints;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public ResourcesSpec getResources() {
        return resources;
    }

    public void setResources(ResourcesSpec resources) {
        this.resources = resources;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public RunPolicySpec getRunPolicy() {
        return runPolicy;
    }

    public void setRunPolicy(RunPolicySpec runPolicy) {
        this.runPolicy = runPolicy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferenceAlignmentJobSpec other
                && method == other.method
                && Objects.equals(model, other.model)
                && Objects.equals(referenceModel, other.referenceModel)
                && Objects.equals(dataset, other.dataset)
                && Objects.equals(dpo, other.dpo)
                && Objects.equals(orpo, other.orpo)
                && Objects.equals(training, other.training)
                && Objects.equals(checkpoints, other.checkpoints)
                && Objects.equals(storage, other.storage)
                && Objects.equals(resources, other.resources)
                && Objects.equals(image, other.image)
                && Objects.equals(runPolicy, other.runPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, model, referenceModel, dataset, dpo, orpo, training, checkpoints, storage,
                resources, image, runPolicy);
    }

    @Override
    public String toString() {
        return "PreferenceAlignmentJobSpec{method=" + method + ", model=" + model + ", referenceModel="
                + referenceModel + ", dataset=" + dataset + ", dpo=" + dpo + ", orpo=" + orpo + ", training="
                + training + ", checkpoints=" + checkpoints + ", storage=" + storage + ", resources=" + resources
                + ", image=" + image + ", runPolicy=" + runPolicy + "}";
    }
}
