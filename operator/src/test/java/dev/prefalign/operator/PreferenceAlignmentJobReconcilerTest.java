package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The real reconciler against Fabric8's mock API server in CRUD mode; the test plays the Job controller and the
 * kubelet (see {@link Kubelet}). Each test works in its own namespace.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PreferenceAlignmentJobReconcilerTest {

    @Inject
    KubernetesClient client;

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private PreferenceAlignmentJob apply(PreferenceAlignmentJob job) {
        return client.resource(job).create();
    }

    private PreferenceAlignmentJob current(String namespace, String name) {
        return client.resources(PreferenceAlignmentJob.class).inNamespace(namespace).withName(name).get();
    }

    private Job awaitJob(String namespace, String name) {
        eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private void awaitStatus(String namespace, String name, Consumer<PreferenceAlignmentJobStatus> check) {
        eventually().untilAsserted(() -> {
            PreferenceAlignmentJob job = current(namespace, name);
            assertThat(job.getStatus()).isNotNull();
            check.accept(job.getStatus());
        });
    }

    private static Condition condition(PreferenceAlignmentJobStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static void assertOwnedBy(HasMetadata child, PreferenceAlignmentJob owner) {
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("PreferenceAlignmentJob");
            assertThat(o.getName()).isEqualTo(owner.getMetadata().getName());
            assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(child.getMetadata().getLabels()).containsEntry("prefalign.dev/job", owner.getMetadata().getName())
                .containsEntry("app.kubernetes.io/managed-by", "prefalign-operator");
    }

    @Test
    void createsTheClaimTheConfigMapAndTheTrainerJob() {
        TestJobs.ensureStorageClass(client, "fast-ssd");
        PreferenceAlignmentJob created = apply(TestJobs.dpo("smollm2", "create"));
        Job job = awaitJob("create", "smollm2");
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace("create").withName("smollm2").get();
        ConfigMap config = client.configMaps().inNamespace("create").withName("smollm2-config").get();
        assertThat(claim).isNotNull();
        assertThat(config).isNotNull();
        assertOwnedBy(claim, created);
        assertOwnedBy(config, created);
        assertOwnedBy(job, created);
        // No finalizer: deleting the resource deletes its children through the API server's garbage collector.
        assertThat(current("create", "smollm2").getMetadata().getFinalizers()).isNullOrEmpty();
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
        assertThat(JobManifests.toYaml(TestJobs.parse(config.getData().get("job.yaml"))))
                .isEqualTo(JobManifests.toYaml(created));

        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");
        // Without Kueue (scheduling mode auto), the operator's own admission releases the Job it created held back.
        eventually().untilAsserted(() -> assertThat(client.batch().v1().jobs().inNamespace(job.getMetadata()
                .getNamespace()).withName(job.getMetadata().getName()).get().getSpec().getSuspend()).isFalse());
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(5);
        assertThat(job.getSpec().getPodFailurePolicy().getRules()).extracting(r -> r.getAction())
                .containsExactly("Ignore", "FailJob", "Ignore");
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(1).getOnExitCodes().getValues())
                .containsExactly(2);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container trainer = pod.getContainers().get(0);
        assertThat(trainer.getImage()).startsWith("ghcr.io/prefalign/prefalign-trainer:");
        assertThat(trainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(trainer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        EnvVar token = trainer.getEnv().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst()
                .orElseThrow();
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
        assertThat(trainer.getResources().getLimits()).containsKey("amd.com/gpu");

        awaitStatus("create", "smollm2", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Queued);
            assertThat(status.getObservedGeneration()).isEqualTo(created.getMetadata().getGeneration());
            assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void usesAnExistingClaimInsteadOfCreatingOne() {
        PreferenceAlignmentJob spec = TestJobs.minimal("reuse", "existing");
        spec.getSpec().getStorage().setExistingClaim("team-scratch");
        apply(spec);
        Job job = awaitJob("existing", "reuse");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactlyInAnyOrder("team-scratch", "team-data");
        assertThat(client.persistentVolumeClaims().inNamespace("existing").list().getItems()).isEmpty();
    }

    @Test
    void followsATrainingToSuccess() throws Exception {
        try (Kubelet kubelet = new Kubelet(client)) {
            apply(TestJobs.minimal("orpo", "success"));
            Job job = awaitJob("success", "orpo");
            kubelet.serveStatus("""
                    {"phase":"training","step":3,"totalSteps":8,"epoch":0.75,"percent":37.5,"etaSeconds":11.0,
                     "tokensPerSecond":454.5,"updatedAt":"2025-03-01T12:00:06.600Z",
                     "metrics":{"loss":0.66,"log_odds_ratio":-0.7,"rewards/accuracies":null},
                     "evalMetrics":{"eval_loss":0.6},
                     "checkpoints":[{"step":2,"path":"/workspace/checkpoints/step-0000002",
                                     "time":"2025-03-01T12:00:06.400Z"}]}""");
            Pod pod = kubelet.running(kubelet.createPod(job, "orpo-abcde"));
            awaitStatus("success", "orpo", status -> {
                assertThat(status.getPhase()).isEqualTo(Phase.Running);
                assertThat(status.getProgress().getStep()).isEqualTo(3);
                assertThat(status.getProgress().getPercent()).isEqualTo(37.5);
                assertThat(status.getMetrics()).containsEntry("loss", 0.66).containsEntry("eval_loss", 0.6)
                        .doesNotContainKey("rewards/accuracies");
                assertThat(status.getCheckpoints()).singleElement()
                        .satisfies(c -> assertThat(c.getPath()).isEqualTo("pvc://orpo/checkpoints/step-0000002"));
                assertThat(status.getStartTime()).isNotNull();
            });

            kubelet.trainerExited(pod, 0, """
                    {"name":"orpo","method":"ORPO","state":"Succeeded","steps":8,"totalSteps":8,"seconds":30.2,
                     "tokensPerSecond":460.0,"metrics":{"loss":0.52,"log_odds_ratio":-0.4},
                     "evalMetrics":{"eval_loss":0.55},
                     "checkpoints":[{"step":8,"path":"/workspace/checkpoints/step-0000008","time":"t8"}],
                     "outputPath":"/workspace/output","skippedSteps":0}""");
            kubelet.jobEnded(job, "Complete", "CompletionsReached");
            awaitStatus("success", "orpo", status -> {
                assertThat(status.getPhase()).isEqualTo(Phase.Succeeded);
                assertThat(status.getOutputPath()).isEqualTo("pvc://orpo/output");
                assertThat(status.getMetrics()).containsEntry("loss", 0.52).containsEntry("eval_loss", 0.55);
                assertThat(status.getCheckpoints()).extracting(c -> c.getStep()).containsExactly(8L, 2L);
                assertThat(status.getCompletionTime()).isNotNull();
                assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
                assertThat(condition(status, "Succeeded").getStatus()).isEqualTo("True");
            });

            // ttlSecondsAfterFinished (or a person) deletes the finished Job: it is not run again.
            client.resource(job).delete();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(client.batch().v1().jobs().inNamespace("success").withName("orpo").get()).isNull();
                assertThat(current("success", "orpo").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
            });
        }
    }

    @Test
    void badInputFailsWithTheTrainersMessage() {
        try (Kubelet kubelet = new Kubelet(client)) {
            apply(TestJobs.minimal("broken", "failure"));
            Job job = awaitJob("failure", "broken");
            Pod pod = kubelet.running(kubelet.createPod(job, "broken-abcde"));
            kubelet.trainerExited(pod, 2, "INFO reading pvc://team-data/prefs\n"
                    + "error: /mnt/pvc/team-data/prefs/train.jsonl line 17: chosen and rejected are identical "
                    + "(set spec.dataset.invalidRows: skip to leave such rows out)\n");
            kubelet.jobEnded(job, "Failed", "PodFailurePolicy");
            awaitStatus("failure", "broken", status -> {
                assertThat(status.getPhase()).isEqualTo(Phase.Failed);
                assertThat(status.getMessage()).contains("train.jsonl line 17: chosen and rejected are identical")
                        .contains("exit code 2");
                assertThat(condition(status, "Failed").getReason()).isEqualTo("InvalidInput");
                assertThat(condition(status, "Stalled").getStatus()).isEqualTo("True");
            });
            assertThat(events("failure", "broken")).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("InvalidInput");
            });
        }
    }

    @Test
    void aMissingSecretStallsWithTheKubeletsMessageAndRecoversWhenTheSecretAppears() {
        try (Kubelet kubelet = new Kubelet(client)) {
            apply(TestJobs.minimal("gated", "secrets"));
            Job job = awaitJob("secrets", "gated");
            Pod pod = kubelet.cannotStart(kubelet.createPod(job, "gated-abcde"), "CreateContainerConfigError",
                    "secret \"hf-token\" not found");
            awaitStatus("secrets", "gated", status -> {
                assertThat(status.getPhase()).isEqualTo(Phase.Initializing);
                Condition stalled = condition(status, "Stalled");
                assertThat(stalled.getStatus()).isEqualTo("True");
                assertThat(stalled.getReason()).isEqualTo("ContainerConfigError");
                assertThat(status.getMessage()).contains("secret \"hf-token\" not found")
                        .contains("spec.model.tokenSecretRef");
            });
            assertThat(events("secrets", "gated")).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("ContainerConfigError");
            });
            // The user creates the Secret; the kubelet retries and the Pod starts: no longer stalled, nothing recreated.
            kubelet.running(pod);
            awaitStatus("secrets", "gated", status -> {
                assertThat(status.getPhase()).isEqualTo(Phase.Running);
                assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
            });
            assertThat(client.batch().v1().jobs().inNamespace("secrets").list().getItems()).hasSize(1);
        }
    }

    @Test
    void anUnknownStorageClassStallsCreatesNothingAndRecoversWhenTheClassAppears() {
        PreferenceAlignmentJob job = TestJobs.minimal("classless", "storage");
        job.getSpec().getStorage().setStorageClassName("not-yet");
        apply(job);
        awaitStatus("storage", "classless", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Pending);
            Condition stalled = condition(status, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo("UnknownStorageClass");
            assertThat(status.getMessage()).contains("StorageClass \"not-yet\"")
                    .contains("spec.storage.storageClassName");
        });
        assertThat(events("storage", "classless")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("UnknownStorageClass");
        });
        assertThat(client.persistentVolumeClaims().inNamespace("storage").list().getItems()).isEmpty();
        assertThat(client.batch().v1().jobs().inNamespace("storage").list().getItems()).isEmpty();

        // Until the Job exists the ConfigMap follows the spec, so an edit made while waiting is what runs.
        client.resources(PreferenceAlignmentJob.class).inNamespace("storage").withName("classless").edit(j -> {
            j.getSpec().getTraining().setLearningRate(2.0e-6);
            return j;
        });
        eventually().untilAsserted(() -> assertThat(configuredSpec("storage", "classless").getTraining()
                .getLearningRate()).isEqualTo(2.0e-6));

        // No StorageClass watch: the operator comes back on its own and finds the class once it exists.
        TestJobs.ensureStorageClass(client, "not-yet");
        awaitJob("storage", "classless");
        assertThat(client.persistentVolumeClaims().inNamespace("storage").withName("classless").get().getSpec()
                .getStorageClassName()).isEqualTo("not-yet");
        awaitStatus("storage", "classless", status ->
                assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False"));
    }

    @Test
    void anInvalidSpecStallsCreatesNothingAndRecoversWhenFixed() {
        PreferenceAlignmentJob invalid = TestJobs.minimal("invalid", "stalled");
        invalid.getSpec().getTraining().setMaxPromptLength(4096);
        apply(invalid);
        awaitStatus("stalled", "invalid", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Pending);
            Condition stalled = condition(status, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo("InvalidSpec");
            assertThat(status.getMessage()).contains("spec.training.maxPromptLength (4096) must be less than");
        });
        assertThat(events("stalled", "invalid")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
            assertThat(e.getMessage()).contains("spec.training.maxPromptLength");
        });
        assertThat(client.batch().v1().jobs().inNamespace("stalled").list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace("stalled").list().getItems()).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace("stalled").list().getItems()).isEmpty();

        client.resources(PreferenceAlignmentJob.class).inNamespace("stalled").withName("invalid")
                .edit(j -> {
                    j.getSpec().getTraining().setMaxPromptLength(512);
                    return j;
                });
        awaitJob("stalled", "invalid");
        awaitStatus("stalled", "invalid", status ->
                assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False"));
    }

    @Test
    void anEditAfterTheJobExistsIsReportedAndNotApplied() {
        apply(TestJobs.minimal("edited", "frozen"));
        awaitJob("frozen", "edited");
        String recorded = client.configMaps().inNamespace("frozen").withName("edited-config").get().getData()
                .get("job.yaml");

        // The mock API server has no CEL, like a cluster whose CRD predates the transition rule.
        client.resources(PreferenceAlignmentJob.class).inNamespace("frozen").withName("edited").edit(j -> {
            j.getSpec().getTraining().setLearningRate(1.0e-3);
            j.getSpec().getRunPolicy().setTtlSecondsAfterFinished(600L);
            return j;
        });
        awaitStatus("frozen", "edited", status -> {
            Condition stalled = condition(status, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo("SpecChangedAfterStart");
            assertThat(status.getMessage()).startsWith("spec.training changed after the trainer Job was created");
        });
        assertThat(events("frozen", "edited")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("SpecChangedAfterStart");
        });
        assertThat(client.configMaps().inNamespace("frozen").withName("edited-config").get().getData()
                .get("job.yaml")).isEqualTo(recorded);

        client.resources(PreferenceAlignmentJob.class).inNamespace("frozen").withName("edited").edit(j -> {
            j.getSpec().getTraining().setLearningRate(TestJobs.minimal("x", "y").getSpec().getTraining()
                    .getLearningRate());
            return j;
        });
        awaitStatus("frozen", "edited", status ->
                assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False"));
    }

    private dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec configuredSpec(String namespace, String name)
            throws Exception {
        ConfigMap config = client.configMaps().inNamespace(namespace).withName(name + "-config").get();
        return JobManifests.parse(config.getData().get("job.yaml"), "ConfigMap").getSpec();
    }

    @Test
    void suspendIsMirroredToTheJob() {
        PreferenceAlignmentJob held = TestJobs.minimal("held", "suspend");
        held.getSpec().getRunPolicy().setSuspend(true);
        apply(held);
        assertThat(awaitJob("suspend", "held").getSpec().getSuspend()).isTrue();
        awaitStatus("suspend", "held", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Suspended);
            assertThat(condition(status, "Suspended").getStatus()).isEqualTo("True");
        });

        client.resources(PreferenceAlignmentJob.class).inNamespace("suspend").withName("held").edit(j -> {
            j.getSpec().getRunPolicy().setSuspend(false);
            return j;
        });
        eventually().untilAsserted(() -> assertThat(client.batch().v1().jobs().inNamespace("suspend")
                .withName("held").get().getSpec().getSuspend()).isFalse());
        awaitStatus("suspend", "held", status -> {
            assertThat(status.getPhase()).isEqualTo(Phase.Queued);
            assertThat(condition(status, "Suspended").getStatus()).isEqualTo("False");
            assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
        });
    }

    private List<io.fabric8.kubernetes.api.model.Event> events(String namespace, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

}
