package dev.prefalign.api.v1alpha1;

import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One preference-alignment training run. The spec is the user's; the status is written by the operator only.
 * The Method and Phase printer columns come from {@code @PrinterColumn} on those fields.
 */
@Group(PreferenceAlignmentJob.GROUP)
@Version(PreferenceAlignmentJob.VERSION)
@Kind(PreferenceAlignmentJob.KIND)
@Plural("preferencealignmentjobs")
@ShortNames("paj")
@Categories({"all", "prefalign"})
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress.percent",
        type = AdditionalPrinterColumn.Type.NUMBER, getDescription = "Percent of the planned training steps done")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// Once the trainer has started (status.startTime is set) the spec is what it runs and what its checkpoints were written
// under, so only the two fields that steer the Job from outside may change: runPolicy.suspend (pause and resume, also
// Kueue's lever) and runPolicy.ttlSecondsAfterFinished (clean-up). The rule sits on the root because a rule on the spec
// cannot see the status. Object schemas are typed in the API server (no iteration over their keys), so every spec field
// is compared by name; a section that was left out must stay out (adding one with only defaults is still a change).
@ValidationRule(value = PreferenceAlignmentJob.IMMUTABLE_AFTER_START, fieldPath = ".spec",
        message = "spec cannot change once the job has started (status.startTime is set), except "
                + "spec.runPolicy.suspend and spec.runPolicy.ttlSecondsAfterFinished; create a new job instead")
public class PreferenceAlignmentJob extends CustomResource<PreferenceAlignmentJobSpec, PreferenceAlignmentJobStatus>
        implements Namespaced {

    public static final String GROUP = "prefalign.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "PreferenceAlignmentJob";
    /** The apiVersion manifests must carry. */
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /**
     * CEL transition rule of the root schema: the spec is frozen once status.startTime is set, except
     * runPolicy.suspend and runPolicy.ttlSecondsAfterFinished. backoffLimit's default (3) stands in for a left-out
     * runPolicy, so that adding {@code runPolicy: {suspend: true}} to a running job is allowed.
     */
    static final String IMMUTABLE_AFTER_START = "!has(oldSelf.status) || !has(oldSelf.status.startTime) || ("
            + "self.spec.method == oldSelf.spec.method && self.spec.model == oldSelf.spec.model "
            + "&& self.spec.dataset == oldSelf.spec.dataset && self.spec.image == oldSelf.spec.image "
            + "&& has(self.spec.referenceModel) == has(oldSelf.spec.referenceModel) "
            + "&& (!has(self.spec.referenceModel) || self.spec.referenceModel == oldSelf.spec.referenceModel) "
            + "&& has(self.spec.dpo) == has(oldSelf.spec.dpo) "
            + "&& (!has(self.spec.dpo) || self.spec.dpo == oldSelf.spec.dpo) "
            + "&& has(self.spec.orpo) == has(oldSelf.spec.orpo) "
            + "&& (!has(self.spec.orpo) || self.spec.orpo == oldSelf.spec.orpo) "
            + "&& has(self.spec.training) == has(oldSelf.spec.training) "
            + "&& (!has(self.spec.training) || self.spec.training == oldSelf.spec.training) "
            + "&& has(self.spec.checkpoints) == has(oldSelf.spec.checkpoints) "
            + "&& (!has(self.spec.checkpoints) || self.spec.checkpoints == oldSelf.spec.checkpoints) "
            + "&& has(self.spec.storage) == has(oldSelf.spec.storage) "
            + "&& (!has(self.spec.storage) || self.spec.storage == oldSelf.spec.storage) "
            + "&& has(self.spec.resources) == has(oldSelf.spec.resources) "
            + "&& (!has(self.spec.resources) || self.spec.resources == oldSelf.spec.resources) "
            + "&& (has(self.spec.runPolicy) ? self.spec.runPolicy.backoffLimit : 3) "
            + "== (has(oldSelf.spec.runPolicy) ? oldSelf.spec.runPolicy.backoffLimit : 3) "
            + "&& (has(self.spec.runPolicy) && has(self.spec.runPolicy.activeDeadlineSeconds)) "
            + "== (has(oldSelf.spec.runPolicy) && has(oldSelf.spec.runPolicy.activeDeadlineSeconds)) "
            + "&& (!has(self.spec.runPolicy) || !has(self.spec.runPolicy.activeDeadlineSeconds) "
            + "|| self.spec.runPolicy.activeDeadlineSeconds == oldSelf.spec.runPolicy.activeDeadlineSeconds))";

    /** A new job has a spec holding every default and no status (the operator writes that). */
    @Override
    protected PreferenceAlignmentJobSpec initSpec() {
        return new PreferenceAlignmentJobSpec();
    }
}
