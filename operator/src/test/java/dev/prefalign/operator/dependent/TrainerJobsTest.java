package dev.prefalign.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.TestJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainerJobsTest {

    private static final ChildSettings SETTINGS = new ChildSettings("registry.example/trainer:1.0", 600, 1000,
            Optional.empty());

    private static PreferenceAlignmentJob withUid(PreferenceAlignmentJob job) {
        job.getMetadata().setUid("uid-1");
        return job;
    }

    @Test
    void runsFetchThenRunWithTheContractsArguments() {
        PodSpec pod = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS).getSpec().getTemplate()
                .getSpec();
        assertThat(pod.getInitContainers()).singleElement().satisfies(fetch -> {
            assertThat(fetch.getName()).isEqualTo("fetch");
            assertThat(fetch.getArgs()).containsExactly("fetch", "-f", "/config/job.yaml", "--work-dir",
                    "/workspace");
        });
        Container trainer = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(trainer.getArgs()).containsExactly("run", "-f", "/config/job.yaml", "--work-dir", "/workspace",
                "--summary-file", "/dev/termination-log");
        assertThat(trainer.getImage()).isEqualTo("registry.example/trainer:1.0");
        assertThat(trainer.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(trainer.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(trainer.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("status");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void specImageOverridesTheDefault() {
        PreferenceAlignmentJob job = withUid(TestJobs.dpo("j", "ns"));
        job.getSpec().setImage("mirror.local/prefalign:pinned");
        PodSpec pod = TrainerJobs.desired(job, SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("mirror.local/prefalign:pinned");
        assertThat(pod.getInitContainers().get(0).getImage()).isEqualTo("mirror.local/prefalign:pinned");
    }

    @Test
    void requestsGpusOnlyForTheTrainerUnderTheConfiguredResourceName() {
        PodSpec pod = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS).getSpec().getTemplate()
                .getSpec();
        Map<String, Quantity> limits = pod.getContainers().get(0).getResources().getLimits();
        assertThat(limits).containsEntry("amd.com/gpu", new Quantity("2")).containsEntry("cpu", new Quantity("6"))
                .containsEntry("memory", new Quantity("48Gi"));
        assertThat(pod.getContainers().get(0).getResources().getRequests()).isEqualTo(limits);
        assertThat(pod.getInitContainers().get(0).getResources().getLimits()).doesNotContainKey("amd.com/gpu")
                .containsEntry("cpu", new Quantity("6"));

        PreferenceAlignmentJob cpuOnly = withUid(TestJobs.dpo("j", "ns"));
        cpuOnly.getSpec().getResources().setGpus(0);
        assertThat(TrainerJobs.desired(cpuOnly, SETTINGS).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits()).containsOnlyKeys("cpu", "memory");
    }

    @Test
    void placesThePodAsTheSpecSays() {
        PodSpec pod = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS).getSpec().getTemplate()
                .getSpec();
        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("pool", "gpu"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("training-low");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(600L);

        PodSpec plain = TrainerJobs.desired(withUid(TestJobs.minimal("m", "ns")), SETTINGS).getSpec()
                .getTemplate().getSpec();
        assertThat(plain.getNodeSelector()).isNull();
        assertThat(plain.getTolerations()).isNull();
        assertThat(plain.getAffinity()).isNull();
        assertThat(plain.getPriorityClassName()).isNull();
    }

    @Test
    void runsUnprivileged() {
        PodSpec pod = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS).getSpec().getTemplate()
                .getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        for (Container c : java.util.List.of(pod.getInitContainers().get(0), pod.getContainers().get(0))) {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(sc.getSeccompProfile().getType()).as(c.getName()).isEqualTo("RuntimeDefault");
            assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                    .contains("/workspace", "/config", "/tmp");
        }
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
    }

    @Test
    void passesTheTokenOnlyAsASecretReference() {
        PodSpec pod = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS).getSpec().getTemplate()
                .getSpec();
        for (Container c : java.util.List.of(pod.getInitContainers().get(0), pod.getContainers().get(0))) {
            EnvVar token = c.getEnv().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst().orElseThrow();
            assertThat(token.getValue()).isNull();
            assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
            assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        }
        PodSpec noToken = TrainerJobs.desired(withUid(TestJobs.minimal("m", "ns")), SETTINGS).getSpec()
                .getTemplate().getSpec();
        assertThat(noToken.getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .doesNotContain("HF_TOKEN");
    }

    @Test
    void disruptionsAndCheckpointedStopsDoNotCountButBadInputFailsAtOnce() {
        Job job = TrainerJobs.desired(withUid(TestJobs.dpo("j", "ns")), SETTINGS);
        assertThat(job.getSpec().getPodFailurePolicy().getRules()).satisfiesExactly(
                disruption -> {
                    assertThat(disruption.getAction()).isEqualTo("Ignore");
                    assertThat(disruption.getOnPodConditions()).singleElement().satisfies(c -> {
                        assertThat(c.getType()).isEqualTo("DisruptionTarget");
                        assertThat(c.getStatus()).isEqualTo("True");
                    });
                },
                badInput -> assertExitCodes(badInput, "FailJob", 2),
                interrupted -> assertExitCodes(interrupted, "Ignore", 3));
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(5);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(86400L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
        assertThat(job.getSpec().getSuspend()).isFalse();
    }

    private static void assertExitCodes(PodFailurePolicyRule rule, String action, int code) {
        assertThat(rule.getAction()).isEqualTo(action);
        assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
        assertThat(rule.getOnExitCodes().getValues()).containsExactly(code);
        assertThat(rule.getOnExitCodes().getContainerName()).as("applies to fetch and run").isNull();
    }

    @Test
    void labelsOwnsAndQueuesTheJob() {
        Job job = TrainerJobs.desired(withUid(TestJobs.dpo("smollm2", "ns")), SETTINGS);
        assertThat(job.getMetadata().getName()).isEqualTo("smollm2");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/queue-name", "team-a")
                .containsEntry("prefalign.dev/job", "smollm2")
                .containsEntry("app.kubernetes.io/instance", "smollm2")
                .containsEntry("app.kubernetes.io/managed-by", "prefalign-operator");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("prefalign.dev/job", "smollm2")
                .doesNotContainKey("kueue.x-k8s.io/queue-name");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("PreferenceAlignmentJob");
            assertThat(o.getApiVersion()).isEqualTo("prefalign.dev/v1alpha1");
            assertThat(o.getUid()).isEqualTo("uid-1");
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
    }

    @Test
    void mountsItsOwnClaimOrTheExistingOneAndEveryPvcSourceReadOnly() {
        PreferenceAlignmentJob job = withUid(TestJobs.minimal("orpo", "ns"));
        PodSpec pod = TrainerJobs.desired(job, SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("workspace");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("orpo");
        });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).anySatisfy(v -> {
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("team-data");
            assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
        });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getConfigMap() != null).singleElement()
                .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("orpo-config"));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/mnt/pvc/team-data");
            assertThat(m.getReadOnly()).isTrue();
        });

        job.getSpec().getStorage().setExistingClaim("team-data");
        PodSpec shared = TrainerJobs.desired(job, SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(shared.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("team-data"));
        assertThat(shared.getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals("workspace"))
                .extracting(VolumeMount::getMountPath).containsExactly("/workspace", "/mnt/pvc/team-data");
    }

    @Test
    void claimAndConfigMapCarryTheSpec() {
        PreferenceAlignmentJob job = withUid(TestJobs.dpo("j", "ns"));
        PersistentVolumeClaim claim = WorkspaceClaims.desired(job, SETTINGS);
        assertThat(claim.getMetadata().getName()).isEqualTo("j");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("50Gi"));
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getController()).isTrue());

        PreferenceAlignmentJob plain = withUid(TestJobs.minimal("m", "ns"));
        assertThat(WorkspaceClaims.desired(plain, SETTINGS).getSpec().getStorageClassName()).isNull();
        assertThat(WorkspaceClaims.desired(plain, new ChildSettings("i", 30, 1000, Optional.of("standard")))
                .getSpec().getStorageClassName()).isEqualTo("standard");

        String yaml = JobConfigMaps.desired(job).getData().get("job.yaml");
        PreferenceAlignmentJob reread = TestJobs.parse(yaml);
        assertThat(reread.getSpec()).isEqualTo(job.getSpec());
        assertThat(reread.getMetadata().getName()).isEqualTo("j");
    }
}
