package dev.prefalign.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.CheckpointsSpec;
import dev.prefalign.api.v1alpha1.spec.DatasetFormat;
import dev.prefalign.api.v1alpha1.spec.DpoLossType;
import dev.prefalign.api.v1alpha1.spec.DpoSpec;
import dev.prefalign.api.v1alpha1.spec.InvalidRows;
import dev.prefalign.api.v1alpha1.spec.LrScheduler;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.OrpoSpec;
import dev.prefalign.api.v1alpha1.spec.Precision;
import dev.prefalign.api.v1alpha1.spec.ResourcesSpec;
import dev.prefalign.api.v1alpha1.spec.ResumePolicy;
import dev.prefalign.api.v1alpha1.spec.RunPolicySpec;
import dev.prefalign.api.v1alpha1.spec.SecretKeyRef;
import dev.prefalign.api.v1alpha1.spec.StorageSpec;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobManifestsTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheContractsFullExample() throws Exception {
        PreferenceAlignmentJob job = JobManifests.parse(resource("contract-example.yaml"), "contract-example.yaml");

        assertThat(job.getApiVersion()).isEqualTo("prefalign.dev/v1alpha1");
        assertThat(job.getKind()).isEqualTo("PreferenceAlignmentJob");
        assertThat(job.getMetadata().getName()).isEqualTo("smollm2-dpo");
        PreferenceAlignmentJobSpec spec = job.getSpec();
        assertThat(spec.getMethod()).isEqualTo(Method.DPO);
        assertThat(spec.getModel().getSource()).isEqualTo("hf://HuggingFaceTB/SmolLM2-135M-Instruct");
        assertThat(spec.getModel().getTokenSecretRef()).isEqualTo(new SecretKeyRef("hf-token", "token"));
        assertThat(spec.getReferenceModel().getSource()).isEqualTo("hf://HuggingFaceTB/SmolLM2-360M-Instruct@main");
        assertThat(spec.getReferenceModel().getTokenSecretRef()).isNull();

        assertThat(spec.getDataset().getSource()).isEqualTo("hf://datasets/trl-lib/ultrafeedback_binarized");
        assertThat(spec.getDataset().getSplit()).isEqualTo("train");
        assertThat(spec.getDataset().getEvalSplit()).isEqualTo("test");
        assertThat(spec.getDataset().getEvalFraction()).isZero();
        assertThat(spec.getDataset().getMaxSamples()).isZero();
        assertThat(spec.getDataset().getFormat()).isEqualTo(DatasetFormat.AUTO);
        assertThat(spec.getDataset().getInvalidRows()).isEqualTo(InvalidRows.FAIL);

        assertThat(spec.getDpo().getBeta()).isEqualTo(0.1);
        assertThat(spec.getDpo().getLossType()).isEqualTo(DpoLossType.SIGMOID);
        assertThat(spec.getDpo().getLabelSmoothing()).isZero();
        assertThat(spec.getDpo().isPrecomputeReferenceLogProbs()).isFalse();
        assertThat(spec.getOrpo().getLambda()).isEqualTo(0.1);

        TrainingSpec training = spec.getTraining();
        assertThat(training.getLearningRate()).isEqualTo(5.0e-7);
        assertThat(training.getEpochs()).isEqualTo(1);
        assertThat(training.getMaxSteps()).isEqualTo(-1);
        assertThat(training.getBatchSize()).isEqualTo(8);
        assertThat(training.getGradientAccumulationSteps()).isEqualTo(1);
        assertThat(training.getMaxLength()).isEqualTo(1024);
        assertThat(training.getMaxPromptLength()).isEqualTo(512);
        assertThat(training.getLrScheduler()).isEqualTo(LrScheduler.COSINE);
        assertThat(training.getWarmupRatio()).isZero();
        assertThat(training.getWeightDecay()).isZero();
        assertThat(training.getMaxGradNorm()).isEqualTo(1.0);
        assertThat(training.isShuffle()).isTrue();
        assertThat(training.getSeed()).isEqualTo(42L);
        assertThat(training.getPrecision()).isEqualTo(Precision.AUTO);
        assertThat(training.getLogEverySteps()).isEqualTo(10);
        assertThat(training.getEvalEverySteps()).isZero();

        assertThat(spec.getCheckpoints().getEverySteps()).isEqualTo(100);
        assertThat(spec.getCheckpoints().getKeep()).isEqualTo(3);
        assertThat(spec.getCheckpoints().getResume()).isEqualTo(ResumePolicy.LATEST);
        assertThat(spec.getStorage().getSize()).isEqualTo("20Gi");
        assertThat(spec.getStorage().getStorageClassName()).isEmpty();
        assertThat(spec.getStorage().getExistingClaim()).isEmpty();

        ResourcesSpec resources = spec.getResources();
        assertThat(resources.getGpus()).isEqualTo(1);
        assertThat(resources.getGpuResourceName()).isEqualTo("nvidia.com/gpu");
        assertThat(resources.getCpu()).isEqualTo("4");
        assertThat(resources.getMemory()).isEqualTo("32Gi");
        assertThat(resources.getNodeSelector()).isEmpty();
        assertThat(resources.getTolerations()).isEmpty();
        assertThat(resources.getAffinity()).isEqualTo(new Affinity());
        assertThat(resources.getPriorityClassName()).isEmpty();
        assertThat(spec.getImage()).isEmpty();
        assertThat(spec.getRunPolicy().isSuspend()).isFalse();
        assertThat(spec.getRunPolicy().getBackoffLimit()).isEqualTo(3);
        assertThat(spec.getRunPolicy().getActiveDeadlineSeconds()).isNull();
        assertThat(spec.getRunPolicy().getTtlSecondsAfterFinished()).isNull();
        assertThat(job.getStatus()).isNull();
    }

    @Test
    void fillsEveryLeftOutSectionAndFieldWithItsDefault() throws Exception {
        PreferenceAlignmentJobSpec spec = JobManifests.parse(resource("minimal.yaml"), "minimal.yaml").getSpec();

        assertThat(spec.getMethod()).isEqualTo(Method.DPO);
        assertThat(spec.getModel().getSource()).isEqualTo("./models/tiny-llama");
        assertThat(spec.getModel().getTokenSecretRef()).isNull();
        assertThat(spec.getReferenceModel()).isNull();
        assertThat(spec.getDataset().getSource()).isEqualTo("./data/pairs.jsonl");
        assertThat(spec.getDataset().getSplit()).isEqualTo("train");
        assertThat(spec.getDataset().getEvalSplit()).isNull();
        assertThat(spec.getDataset().getEvalFraction()).isEqualTo(0.0);
        assertThat(spec.getDataset().getMaxSamples()).isEqualTo(0);
        assertThat(spec.getDataset().getFormat()).isEqualTo(DatasetFormat.AUTO);
        assertThat(spec.getDataset().getInvalidRows()).isEqualTo(InvalidRows.FAIL);
        assertThat(spec.getDpo()).isEqualTo(new DpoSpec());
        assertThat(spec.getDpo().getBeta()).isEqualTo(0.1);
        assertThat(spec.getDpo().getLossType()).isEqualTo(DpoLossType.SIGMOID);
        assertThat(spec.getOrpo()).isEqualTo(new OrpoSpec());
        assertThat(spec.getOrpo().getLambda()).isEqualTo(0.1);
        assertThat(spec.getTraining()).isEqualTo(new TrainingSpec());
        assertThat(spec.getTraining().getLearningRate()).isEqualTo(5e-7);
        assertThat(spec.getTraining().getBatchSize()).isEqualTo(8);
        assertThat(spec.getTraining().getMaxLength()).isEqualTo(1024);
        assertThat(spec.getTraining().getMaxPromptLength()).isEqualTo(512);
        assertThat(spec.getTraining().getLrScheduler()).isEqualTo(LrScheduler.COSINE);
        assertThat(spec.getTraining().isShuffle()).isTrue();
        assertThat(spec.getTraining().getSeed()).isEqualTo(42);
        assertThat(spec.getCheckpoints()).isEqualTo(new CheckpointsSpec());
        assertThat(spec.getCheckpoints().getEverySteps()).isEqualTo(100);
        assertThat(spec.getCheckpoints().getKeep()).isEqualTo(3);
        assertThat(spec.getStorage()).isEqualTo(new StorageSpec());
        assertThat(spec.getStorage().getSize()).isEqualTo("20Gi");
        assertThat(spec.getResources()).isEqualTo(new ResourcesSpec());
        assertThat(spec.getResources().getNodeSelector()).isEmpty();
        assertThat(spec.getResources().getTolerations()).isEmpty();
        assertThat(spec.getResources().getAffinity()).isNull();
        assertThat(spec.getImage()).isEmpty();
        assertThat(spec.getRunPolicy()).isEqualTo(new RunPolicySpec());
        assertThat(spec.getRunPolicy().getBackoffLimit()).isEqualTo(3);
    }

    @Test
    void readsAFileAndPicksTheJobOutOfSeveralDocuments() throws Exception {
        Path file = dir.resolve("with-other-documents.yaml");
        Files.writeString(file, resource("with-other-documents.yaml"));

        PreferenceAlignmentJob job = JobManifests.read(file);

        assertThat(job.getMetadata().getName()).isEqualTo("gated-orpo");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("research");
        assertThat(job.getSpec().getMethod()).isEqualTo(Method.ORPO);
        assertThat(job.getSpec().getOrpo().getLambda()).isEqualTo(0.25);
        assertThat(job.getSpec().getModel().getTokenSecretRef().getKey()).isEqualTo("token");
    }

    @Test
    void nullMeansTheDefaultAndNumbersAreReadAsKubectlReadsThem() throws Exception {
        PreferenceAlignmentJobSpec spec = JobManifests.parse("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata: {name: lenient}
                spec:
                  method: DPO
                  model: {source: ./m}
                  dataset: {source: ./d, split: null}
                  dpo: null
                  training:
                    learningRate: 5e-7
                    epochs: null
                  resources:
                    cpu: 8
                    memory: 64Gi
                  runPolicy:
                    activeDeadlineSeconds: 3600
                """, "lenient.yaml").getSpec();

        assertThat(spec.getDataset().getSplit()).isEqualTo("train");
        assertThat(spec.getDpo()).isEqualTo(new DpoSpec());
        assertThat(spec.getTraining().getLearningRate()).isEqualTo(5e-7);
        assertThat(spec.getTraining().getEpochs()).isEqualTo(1);
        assertThat(spec.getResources().getCpu()).isEqualTo("8");
        assertThat(spec.getRunPolicy().getActiveDeadlineSeconds()).isEqualTo(3600L);
    }

    @Test
    void roundTripsTheResolvedSpecThroughYaml() throws Exception {
        PreferenceAlignmentJob job = JobManifests.parse(resource("contract-example.yaml"), "contract-example.yaml");
        job.getSpec().getResources().setNodeSelector(Map.of("kubernetes.io/arch", "amd64"));
        job.getSpec().getResources().setTolerations(List.of(new TolerationBuilder()
                .withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build()));
        job.getSpec().getTraining().setLearningRate(1.0e10); // Java writes 1.0E10: a string to YAML 1.1 readers
        job.getSpec().getRunPolicy().setTtlSecondsAfterFinished(600L);

        String yaml = JobManifests.toYaml(job);
        PreferenceAlignmentJob back = JobManifests.parse(yaml, "resolved.yaml");

        assertThat(back.getSpec()).isEqualTo(job.getSpec());
        assertThat(back.getMetadata().getName()).isEqualTo("smollm2-dpo");
        assertThat(JobManifests.toYaml(back)).isEqualTo(yaml);
    }

    @Test
    void resolvedYamlSpellsOutDefaultsAndOnlyTheMethodsOwnSection() throws Exception {
        PreferenceAlignmentJob job = JobManifests.parse(resource("with-other-documents.yaml"), "in.yaml");

        String yaml = JobManifests.toYaml(job);

        assertThat(yaml).startsWith("""
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: gated-orpo
                  namespace: research
                spec:
                  method: ORPO
                """);
        assertThat(yaml).contains("  orpo:\n    lambda: 0.25\n")
                .contains("    learningRate: 5.0E-7\n")
                .contains("    lrScheduler: cosine\n")
                .contains("    cpu: \"4\"\n")
                .contains("    storageClassName: \"\"\n")
                .doesNotContain("dpo:")
                .doesNotContain("referenceModel")
                .doesNotContain("status");
        assertThat(JobManifests.parse(yaml, "resolved.yaml").getSpec()).isEqualTo(job.getSpec());
    }

    @Test
    void roundTripsAJobBuiltInJava() throws Exception {
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.getMetadata().setName("built");
        job.getSpec().setMethod(Method.SFT);
        job.getSpec().getModel().setSource("pvc://models/base");
        job.getSpec().getDataset().setSource("pvc://data/sft");
        job.getSpec().getDataset().setEvalFraction(0.05);
        job.getSpec().getTraining().setEvalEverySteps(50);

        PreferenceAlignmentJob back = JobManifests.parse(JobManifests.toYaml(job), "built.yaml");

        assertThat(back.getSpec()).isEqualTo(job.getSpec());
    }

    @Test
    void aMissingFileIsReportedWithItsPath() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> JobManifests.read(missing))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(missing + ": cannot read the manifest: java.nio.file.NoSuchFileException");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = JobManifestsTest.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
