package dev.prefalign.operator.dependent;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which parts of a job's spec were edited after its trainer Job was created. The ConfigMap records the spec the Job
 * runs; the CRD's transition rule rejects such edits, but a cluster without CEL validation (or a CRD installed before
 * the rule) lets them through, and then the user must be told that the running Job ignores them.
 */
public final class SpecChanges {

    /** The fields that are fixed once the Job exists; runPolicy.suspend and the TTL are not among them. */
    private static final Map<String, Function<PreferenceAlignmentJobSpec, Object>> FROZEN = frozen();

    private SpecChanges() {
    }

    private static Map<String, Function<PreferenceAlignmentJobSpec, Object>> frozen() {
        Map<String, Function<PreferenceAlignmentJobSpec, Object>> fields = new LinkedHashMap<>();
        fields.put("method", PreferenceAlignmentJobSpec::getMethod);
        fields.put("model", PreferenceAlignmentJobSpec::getModel);
        fields.put("referenceModel", PreferenceAlignmentJobSpec::getReferenceModel);
        fields.put("dataset", PreferenceAlignmentJobSpec::getDataset);
        fields.put("dpo", PreferenceAlignmentJobSpec::getDpo);
        fields.put("orpo", PreferenceAlignmentJobSpec::getOrpo);
        fields.put("training", PreferenceAlignmentJobSpec::getTraining);
        fields.put("checkpoints", PreferenceAlignmentJobSpec::getCheckpoints);
        fields.put("storage", PreferenceAlignmentJobSpec::getStorage);
        fields.put("resources", PreferenceAlignmentJobSpec::getResources);
        fields.put("image", PreferenceAlignmentJobSpec::getImage);
        fields.put("runPolicy.backoffLimit", s -> s.getRunPolicy().getBackoffLimit());
        fields.put("runPolicy.activeDeadlineSeconds", s -> s.getRunPolicy().getActiveDeadlineSeconds());
        return fields;
    }

    /**
     * The spec fields (as {@code spec.<field>} paths, in declaration order) whose value differs from the one the
     * ConfigMap recorded when the Job was created; empty when nothing frozen changed, or when either spec cannot be
     * read (an invalid spec is reported as such, and a ConfigMap the operator did not write is not judged).
     */
    public static List<String> sinceCreated(ConfigMap applied, PreferenceAlignmentJob current) {
        Optional<PreferenceAlignmentJobSpec> before = resolved(
                applied.getData() == null ? null : applied.getData().get(ChildResources.CONFIG_FILE));
        Optional<PreferenceAlignmentJobSpec> now = resolved(JobManifests.toYaml(current));
        if (before.isEmpty() || now.isEmpty()) {
            return List.of();
        }
        return FROZEN.entrySet().stream()
                .filter(f -> !Objects.equals(f.getValue().apply(before.get()), f.getValue().apply(now.get())))
                .map(f -> "spec." + f.getKey())
                .toList();
    }

    /** Both sides go through the same resolution (defaults written out, unused sections dropped) to compare alike. */
    private static Optional<PreferenceAlignmentJobSpec> resolved(String manifest) {
        if (manifest == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobManifests.parse(manifest, "ConfigMap").getSpec());
        } catch (ManifestException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
