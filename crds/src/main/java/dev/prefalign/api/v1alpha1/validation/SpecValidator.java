package dev.prefalign.api.v1alpha1.validation;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.DatasetSpec;
import dev.prefalign.api.v1alpha1.spec.DpoSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import dev.prefalign.api.v1alpha1.spec.OrpoSpec;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a spec must satisfy beyond its types: the annotated bounds and the cross-field rules. Pure (no I/O, no
 * cluster), so the trainer applies it when it reads a manifest and the operator when it reconciles; both report the
 * same sentences.
 *
 * <p>Whether the {@code dpo} and {@code orpo} sections were written cannot be seen on the Java objects (a section
 * left out holds its defaults), so the rule is on values: a section that differs from its defaults while the method
 * does not use it is an error; one that merely restates the defaults changes nothing and is accepted. That keeps the
 * contract's own example (method DPO with an {@code orpo} section of defaults) valid.
 */
public final class SpecValidator {

    private SpecValidator() {
    }

    /** Every rule the spec breaks (field bounds first, then cross-field rules); empty when it is valid. */
    public static List<SpecViolation> validate(PreferenceAlignmentJobSpec spec) {
        List<SpecViolation> out = new ArrayList<>();
        AnnotatedConstraints.check(spec, "spec", out);
        checkMethodSections(spec, out);
        checkSources(spec, out);
        checkDataset(spec.getDataset(), spec.getTraining(), out);
        checkTraining(spec.getTraining(), out);
        if (spec.getMethod() == Method.DPO) {
            checkDpo(spec.getDpo(), out);
        }
        checkQuantity("spec.resources.cpu", spec.getResources().getCpu(), "4 or 3500m", out);
        checkQuantity("spec.resources.memory", spec.getResources().getMemory(), "32Gi or 512Mi", out);
        checkQuantity("spec.storage.size", spec.getStorage().getSize(), "20Gi or 1Ti", out);
        if (!isBlank(spec.getStorage().getExistingClaim()) && !isBlank(spec.getStorage().getStorageClassName())) {
            out.add(new SpecViolation("spec.storage.storageClassName", "spec.storage.storageClassName applies only "
                    + "to a claim the operator creates, but spec.storage.existingClaim is set; remove one of them"));
        }
        return List.copyOf(out);
    }

    private static void checkMethodSections(PreferenceAlignmentJobSpec spec, List<SpecViolation> out) {
        Method method = spec.getMethod();
        if (method == null) {
            return; // reported as required already; the section rules depend on it
        }
        if (spec.getReferenceModel() != null && !method.usesReferenceModel()) {
            out.add(new SpecViolation("spec.referenceModel", "spec.referenceModel applies only to method DPO "
                    + "(method is " + method + "); remove it"));
        }
        if (method != Method.DPO && !new DpoSpec().equals(spec.getDpo())) {
            out.add(new SpecViolation("spec.dpo", "spec.dpo applies only to method DPO (method is " + method
                    + "); remove the section or set method: DPO"));
        }
        if (method != Method.ORPO && !new OrpoSpec().equals(spec.getOrpo())) {
            out.add(new SpecViolation("spec.orpo", "spec.orpo applies only to method ORPO (method is " + method
                    + "); remove the section or set method: ORPO"));
        }
    }

    private static void checkSources(PreferenceAlignmentJobSpec spec, List<SpecViolation> out) {
        checkSource("spec.model.source", spec.getModel().getSource(), false, out);
        ModelSpec reference = spec.getReferenceModel();
        if (reference != null) {
            checkSource("spec.referenceModel.source", reference.getSource(), false, out);
        }
        checkSource("spec.dataset.source", spec.getDataset().getSource(), true, out);
    }

    /** A source is a local path, hf://[datasets/]repo[@revision] or pvc://claim/path; see the field descriptions. */
    private static void checkSource(String path, String source, boolean dataset, List<SpecViolation> out) {
        if (isBlank(source)) {
            return; // required/empty is reported by the annotations
        }
        int schemeEnd = source.indexOf("://");
        if (schemeEnd < 0) {
            return; // a local path: its existence is the trainer's to check, where it runs
        }
        String scheme = source.substring(0, schemeEnd);
        String rest = source.substring(schemeEnd + 3);
        String example = dataset ? "hf://datasets/trl-lib/ultrafeedback_binarized"
                : "hf://HuggingFaceTB/SmolLM2-135M-Instruct";
        switch (scheme) {
            case "hf" -> {
                if (dataset && !rest.startsWith("datasets/")) {
                    out.add(new SpecViolation(path, path + " \"" + source + "\" names a model repository; Hub "
                            + "datasets are written hf://datasets/<owner>/<name>, e.g. " + example));
                } else if (!dataset && rest.startsWith("datasets/")) {
                    out.add(new SpecViolation(path, path + " \"" + source + "\" names a dataset repository; a model "
                            + "is written hf://<owner>/<name>, e.g. " + example));
                } else if (rest.substring(dataset ? "datasets/".length() : 0).replaceFirst("@.*$", "").isEmpty()) {
                    out.add(new SpecViolation(path, path + " \"" + source + "\" has no repository name, e.g. "
                            + example));
                }
            }
            case "pvc" -> {
                int slash = rest.indexOf('/');
                if (slash <= 0 || slash == rest.length() - 1) {
                    out.add(new SpecViolation(path, path + " \"" + source + "\" must be pvc://<claim>/<path>"));
                }
            }
            default -> out.add(new SpecViolation(path, path + " has unsupported scheme " + scheme + "://; use "
                    + "hf://, pvc:// or a local path"));
        }
    }

    private static void checkDataset(DatasetSpec dataset, TrainingSpec training, List<SpecViolation> out) {
        boolean hasEvalSplit = dataset.getEvalSplit() != null;
        if (hasEvalSplit && dataset.getEvalFraction() > 0) {
            out.add(new SpecViolation("spec.dataset.evalFraction", "spec.dataset.evalSplit and "
                    + "spec.dataset.evalFraction are both set; evaluate on a split or on a held-out fraction, not "
                    + "both"));
        }
        if (training.getEvalEverySteps() > 0 && !hasEvalSplit && dataset.getEvalFraction() <= 0) {
            out.add(new SpecViolation("spec.training.evalEverySteps", "spec.training.evalEverySteps is "
                    + training.getEvalEverySteps() + " but there is no eval set; set spec.dataset.evalSplit or "
                    + "spec.dataset.evalFraction, or set evalEverySteps to 0"));
        }
    }

    private static void checkTraining(TrainingSpec training, List<SpecViolation> out) {
        if (training.getMaxPromptLength() >= training.getMaxLength()) {
            out.add(new SpecViolation("spec.training.maxPromptLength", "spec.training.maxPromptLength ("
                    + training.getMaxPromptLength() + ") must be less than spec.training.maxLength ("
                    + training.getMaxLength() + ") to leave room for the completion"));
        }
        if (training.getMaxSteps() == 0) {
            out.add(new SpecViolation("spec.training.maxSteps", "spec.training.maxSteps must be -1 (train for "
                    + "epochs) or > 0 (got 0)"));
        }
    }

    private static void checkDpo(DpoSpec dpo, List<SpecViolation> out) {
        if (dpo.getLabelSmoothing() > 0 && dpo.getLossType() != null && !dpo.getLossType().usesLabelSmoothing()) {
            out.add(new SpecViolation("spec.dpo.labelSmoothing", "spec.dpo.labelSmoothing applies only to lossType "
                    + "sigmoid or robust (lossType is " + dpo.getLossType().name().toLowerCase()
                    + "); set it to 0 or change the loss"));
        }
    }

    private static void checkQuantity(String path, String value, String example, List<SpecViolation> out) {
        if (value == null) {
            return;
        }
        BigDecimal amount;
        try {
            amount = Quantity.getAmountInBytes(Quantity.parse(value));
        } catch (RuntimeException e) {
            out.add(new SpecViolation(path, path + " \"" + value + "\" is not a Kubernetes quantity (e.g. " + example
                    + ")"));
            return;
        }
        if (amount.signum() <= 0) {
            out.add(new SpecViolation(path, path + " must be greater than 0 (got " + value + ")"));
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
