package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import dev.prefalign.api.v1alpha1.validation.SpecViolation;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD users install is the one the operator generates from the crds module's Java types (the Quarkus build
 * writes it to target/kubernetes). The committed copy must not lag behind a change to those types.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CommittedCrdTest {

    static final String FILE = "preferencealignmentjobs.prefalign.dev-v1.yml";
    static final String EXPERIMENTS_FILE = "preferencealignmentexperiments.prefalign.dev-v1.yml";

    @Test
    void theCommittedCrdsAreTheGeneratedOnes() throws IOException {
        for (String file : List.of(FILE, EXPERIMENTS_FILE)) {
            Path generated = Path.of("target", "kubernetes", file);
            Path committed = Path.of("..", "crds", "src", "main", "kubernetes", file);
            assertThat(generated).as("the Quarkus build writes the CRD").exists();
            String fix = "the committed CRD is stale (the API types changed); this build has just generated the new "
                    + "one: cp operator/target/kubernetes/" + file + " crds/src/main/kubernetes/";
            assertThat(committed).as(fix).exists();
            assertThat(Files.readString(committed)).as(fix).isEqualTo(Files.readString(generated));
        }
    }

    /**
     * The API server checks the cross-field rules that CEL states cheaply; the operator's SpecValidator checks the
     * same ones (for local runs and for resources created before the rule existed), at the same field.
     */
    @Test
    void theCelRulesAgreeWithTheValidator() throws IOException {
        JsonNode spec = new YAMLMapper().readTree(Files.readString(Path.of("target", "kubernetes", FILE)))
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
        JsonNode training = spec.at("/training/x-kubernetes-validations/0");
        assertThat(training.path("rule").asText()).isEqualTo("self.maxPromptLength < self.maxLength");
        assertThat(training.path("fieldPath").asText()).isEqualTo(".maxPromptLength");
        JsonNode storage = spec.at("/storage/x-kubernetes-validations/0");
        assertThat(storage.path("rule").asText()).isEqualTo("self.existingClaim == '' || self.storageClassName == ''");
        assertThat(storage.path("fieldPath").asText()).isEqualTo(".storageClassName");

        PreferenceAlignmentJobSpec tooLongPrompt = TestJobs.minimal("j", "ns").getSpec();
        tooLongPrompt.getTraining().setMaxPromptLength(tooLongPrompt.getTraining().getMaxLength());
        assertThat(SpecValidator.validate(tooLongPrompt)).extracting(SpecViolation::path)
                .containsExactly("spec.training.maxPromptLength");
        PreferenceAlignmentJobSpec twoClaims = TestJobs.minimal("j", "ns").getSpec();
        twoClaims.getStorage().setExistingClaim("team-scratch");
        twoClaims.getStorage().setStorageClassName("fast-ssd");
        assertThat(SpecValidator.validate(twoClaims)).extracting(SpecViolation::path)
                .containsExactly("spec.storage.storageClassName");
    }
}
