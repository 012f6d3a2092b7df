package dev.prefalign.api.v1alpha1;

import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
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
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress.percent",
        type = AdditionalPrinterColumn.Type.NUMBER, getDescription = "Percent of the planned training steps done")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class PreferenceAlignmentJob extends CustomResource<PreferenceAlignmentJobSpec, PreferenceAlignmentJobStatus>
        implements Namespaced {

    public static final String GROUP = "prefalign.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "PreferenceAlignmentJob";
    /** The apiVersion manifests must carry. */
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** A new job has a spec holding every default and no status (the operator writes that). */
    @Override
    protected PreferenceAlignmentJobSpec initSpec() {
        return new PreferenceAlignmentJobSpec();
    }
}
