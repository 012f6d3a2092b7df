package dev.prefalign.api.v1alpha1.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/crd-reference.md is generated, never hand-written: this test renders it again from the committed CRDs (which
 * CommittedCrdTest and CelRulesTest keep equal to what the Java types generate) and fails when the committed page
 * differs. With -Dprefalign.updateReference=true it rewrites the page instead, as CrdReference.main does.
 */
class CrdReferenceTest {

    /** Surefire runs in the module folder; the CRDs and docs are addressed from the repository root. */
    private static final Path ROOT = Path.of("..");

    @Test
    void theCommittedReferenceIsTheRenderedOne() throws IOException {
        String rendered = CrdReference.render(ROOT);
        Path committed = ROOT.resolve(CrdReference.OUTPUT);
        if (Boolean.getBoolean("prefalign.updateReference")) {
            Files.writeString(committed, rendered);
        }
        String fix = "docs/crd-reference.md is stale (the CRDs changed); regenerate it from the repository root with: "
                + CrdReference.REGENERATE;
        assertThat(committed).as(fix).exists();
        assertThat(Files.readString(committed)).as(fix).isEqualTo(rendered);
    }

    @Test
    void theReferenceShowsWhatTheSchemaEnforces() {
        String md = CrdReference.render(ROOT);
        // Names, printer columns and categories at the top.
        assertThat(md).contains("| Short names | `paj` |", "| Categories | `all`, `prefalign` |",
                "| Phase | string | `.status.phase` | 0 |");
        // One section per object of ours, Kubernetes' own types not expanded.
        assertThat(md).contains("### PreferenceAlignmentJob spec\n", "### PreferenceAlignmentJob spec.dpo\n",
                "### PreferenceAlignmentJob spec.training\n", "### PreferenceAlignmentJob status.checkpoints[]\n",
                "### PreferenceAlignmentExperiment spec\n")
                .doesNotContain("spec.resources.affinity\n", "status.conditions[]\n");
        // Defaults, bounds, enums, required fields and links to the nested sections.
        assertThat(md).contains("| `beta` | number | `0.1` | > 0 |", "| `labelSmoothing` | number | `0.0` | ≥ 0; < 0.5 |",
                "| `method` | string |  | **required**; one of `DPO`, `ORPO`, `SFT` |",
                "| `model` | [object](#preferencealignmentjob-specmodel) |");
        // CEL rules with their message, where they are attached.
        assertThat(md).contains("reported at `spec.training.maxPromptLength`: maxPromptLength must be less than "
                + "maxLength", "  self.maxPromptLength < self.maxLength\n");
        assertThat(md).contains("CEL rules checked by the API server on the resource:\n\n- reported at `spec`: "
                + "spec cannot change once the job has started");
    }

    @Test
    void anchorsFollowGithubsRule() {
        assertThat(CrdReference.anchor("PreferenceAlignmentJob status.checkpoints[]"))
                .isEqualTo("preferencealignmentjob-statuscheckpoints");
    }
}
