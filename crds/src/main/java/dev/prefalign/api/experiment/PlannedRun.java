package dev.prefalign.api.experiment;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of an experiment, validated: its stable name {@code <experiment>-<index>-<description>}, what it changes
 * relative to the base spec, and the job it runs.
 *
 * @param index        1-based position in the experiment
 * @param resolvedYaml the job as a manifest with every default written out (see {@code JobManifests.toYaml})
 */
public record PlannedRun(int index, String name, String description, List<Setting> settings,
        PreferenceAlignmentJob job, String resolvedYaml) {
    public PlannedRun {
        settings = List.copyOf(settings);
    }

    /** Field path -> value text, in the order written. */
    public Map<String, String> settingTexts() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach(s -> out.put(s.path(), s.text()));
        return out;
    }
}
