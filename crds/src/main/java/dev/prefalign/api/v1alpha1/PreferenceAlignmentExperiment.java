package dev.prefalign.api.v1alpha1;

import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentExperimentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A grid of PreferenceAlignmentJobs from one base spec: the operator creates one job per run (at most
 * {@code spec.maxConcurrent} unfinished at a time) and collects their results in the status. The spec is the one an
 * experiment file for {@code compare} carries, so the same grid runs on a laptop and in a cluster.
 */
@Group(PreferenceAlignmentJob.GROUP)
@Version(PreferenceAlignmentJob.VERSION)
@Kind(PreferenceAlignmentExperiment.KIND)
@Plural("preferencealignmentexperiments")
@ShortNames("pae")
@Categories({"all", "prefalign"})
@AdditionalPrinterColumn(name = "Runs", jsonPath = ".status.runs", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Runs the grid expands into")
@AdditionalPrinterColumn(name = "Succeeded", jsonPath = ".status.succeeded",
        type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Runs that succeeded")
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.failed", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Runs that failed")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class PreferenceAlignmentExperiment
        extends CustomResource<PreferenceAlignmentExperimentSpec, PreferenceAlignmentExperimentStatus>
        implements Namespaced {

    public static final String KIND = "PreferenceAlignmentExperiment";
    /** Label every run's PreferenceAlignmentJob carries: the experiment's name. */
    public static final String LABEL = "prefalign.dev/experiment";
}
