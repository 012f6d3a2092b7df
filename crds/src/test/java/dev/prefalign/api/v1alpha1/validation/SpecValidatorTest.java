package dev.prefalign.api.v1alpha1.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.DpoLossType;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import dev.prefalign.api.v1alpha1.spec.SecretKeyRef;
import org.junit.jupiter.api.Test;

/** The validator on Java objects, as the operator uses it (no YAML involved). */
class SpecValidatorTest {

    private static PreferenceAlignmentJobSpec spec(Method method) {
        PreferenceAlignmentJobSpec spec = new PreferenceAlignmentJobSpec();
        spec.setMethod(method);
        spec.getModel().setSource("hf://HuggingFaceTB/SmolLM2-135M-Instruct@main");
        spec.getDataset().setSource("hf://datasets/trl-lib/ultrafeedback_binarized");
        return spec;
    }

    @Test
    void defaultsWithSourcesAreValidForEveryMethod() {
        for (Method method : Method.values()) {
            assertThat(SpecValidator.validate(spec(method))).as(method.name()).isEmpty();
        }
    }

    @Test
    void aNewSpecNamesItsRequiredFields() {
        assertThat(SpecValidator.validate(new PreferenceAlignmentJobSpec())).extracting(SpecViolation::message)
                .containsExactly("spec.method is required (one of DPO, ORPO, SFT)", "spec.model.source is required",
                        "spec.dataset.source is required");
    }

    @Test
    void violationsCarryTheirPathForLocating() {
        PreferenceAlignmentJobSpec spec = spec(Method.DPO);
        spec.getTraining().setGradientAccumulationSteps(0);
        spec.getModel().setTokenSecretRef(new SecretKeyRef("hf-token", null));

        assertThat(SpecValidator.validate(spec)).containsExactly(
                new SpecViolation("spec.model.tokenSecretRef.key", "spec.model.tokenSecretRef.key is required"),
                new SpecViolation("spec.training.gradientAccumulationSteps",
                        "spec.training.gradientAccumulationSteps must be >= 1 (got 0)"));
    }

    @Test
    void sectionsOfOtherMethodsMustKeepTheirDefaults() {
        PreferenceAlignmentJobSpec sft = spec(Method.SFT);
        sft.getDpo().setLossType(DpoLossType.IPO);
        sft.getOrpo().setLambda(1.0);
        sft.setReferenceModel(new ModelSpec("./ref"));

        assertThat(SpecValidator.validate(sft)).extracting(SpecViolation::message).containsExactly(
                "spec.referenceModel applies only to method DPO (method is SFT); remove it",
                "spec.dpo applies only to method DPO (method is SFT); remove the section or set method: DPO",
                "spec.orpo applies only to method ORPO (method is SFT); remove the section or set method: ORPO");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        PreferenceAlignmentJobSpec spec = spec(Method.DPO);
        spec.getDpo().setBeta(Double.NaN);
        spec.getTraining().setMaxGradNorm(Double.POSITIVE_INFINITY);

        assertThat(SpecValidator.validate(spec)).extracting(SpecViolation::message).containsExactly(
                "spec.dpo.beta must be a finite number (got NaN)",
                "spec.training.maxGradNorm must be a finite number (got Infinity)");
    }

    @Test
    void acceptsEverySourceForm() {
        PreferenceAlignmentJobSpec spec = spec(Method.DPO);
        spec.getModel().setSource("pvc://models/llama/step-1000");
        spec.setReferenceModel(new ModelSpec("hf://gpt2"));
        spec.getDataset().setSource("/data/pairs.parquet");
        spec.getResources().setCpu("3500m");
        spec.getResources().setMemory("0.5Ti");
        spec.getStorage().setExistingClaim("shared-cache");

        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    @Test
    void hubSourcesNeedARepositoryName() {
        PreferenceAlignmentJobSpec spec = spec(Method.DPO);
        spec.getModel().setSource("hf://@main");
        spec.getDataset().setSource("hf://datasets/");

        assertThat(SpecValidator.validate(spec)).extracting(SpecViolation::message).containsExactly(
                "spec.model.source \"hf://@main\" has no repository name, e.g. hf://HuggingFaceTB/SmolLM2-135M-Instruct",
                "spec.dataset.source \"hf://datasets/\" has no repository name, e.g. "
                        + "hf://datasets/trl-lib/ultrafeedback_binarized");
    }

    @Test
    void robustAndSigmoidTakeLabelSmoothing() {
        PreferenceAlignmentJobSpec spec = spec(Method.DPO);
        spec.getDpo().setLossType(DpoLossType.ROBUST);
        spec.getDpo().setLabelSmoothing(0.2);
        assertThat(SpecValidator.validate(spec)).isEmpty();

        spec.getDpo().setLossType(DpoLossType.IPO);
        assertThat(SpecValidator.validate(spec)).extracting(SpecViolation::path)
                .containsExactly("spec.dpo.labelSmoothing");
    }
}
