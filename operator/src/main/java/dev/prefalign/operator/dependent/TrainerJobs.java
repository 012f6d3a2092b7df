package dev.prefalign.operator.dependent;

import static dev.prefalign.operator.dependent.ChildResources.CONFIG_DIR;
import static dev.prefalign.operator.dependent.ChildResources.CONFIG_FILE;
import static dev.prefalign.operator.dependent.ChildResources.PVC_ROOT;
import static dev.prefalign.operator.dependent.ChildResources.TERMINATION_LOG;
import static dev.prefalign.operator.dependent.ChildResources.WORKSPACE;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import dev.prefalign.api.v1alpha1.spec.ResourcesSpec;
import dev.prefalign.api.v1alpha1.spec.RunPolicySpec;
import dev.prefalign.api.v1alpha1.spec.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The batch/v1 Job that runs the trainer image: {@code fetch} as init container, then {@code run}. A pure function of
 * the resource and the operator settings.
 */
public final class TrainerJobs {

    /** Trainer exit code for bad input (invalid manifest, missing model, malformed row): retrying cannot help. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Trainer exit code after a SIGTERM checkpoint: the next Pod resumes from it, so it is no failure. */
    public static final int EXIT_INTERRUPTED = 3;

    private static final String WORKSPACE_VOLUME = "workspace";
    private static final String CONFIG_VOLUME = "config";
    private static final String TMP_VOLUME = "tmp";
    private static final String PVC_SCHEME = "pvc://";

    private TrainerJobs() {
    }

    public static Job desired(PreferenceAlignmentJob job, ChildSettings settings) {
        RunPolicySpec runPolicy = job.getSpec().getRunPolicy();
        Map<String, String> jobLabels = new LinkedHashMap<>(ChildResources.labels(job, "trainer"));
        // Kueue reads its queue and priority class from the Job.
        for (String kueueLabel : List.of(ChildResources.KUEUE_QUEUE_LABEL, ChildResources.KUEUE_PRIORITY_LABEL)) {
            String value = job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(kueueLabel);
            if (value != null) {
                jobLabels.put(kueueLabel, value);
            }
        }
        return new JobBuilder()
                .withMetadata(ChildResources.metadata(job, ChildResources.jobName(job), "trainer"))
                .editMetadata().withLabels(jobLabels).endMetadata()
                .withNewSpec()
                .withParallelism(1)
                .withCompletions(1)
                .withBackoffLimit(runPolicy.getBackoffLimit())
                .withActiveDeadlineSeconds(runPolicy.getActiveDeadlineSeconds())
                .withTtlSecondsAfterFinished(runPolicy.getTtlSecondsAfterFinished() == null ? null
                        : Math.toIntExact(runPolicy.getTtlSecondsAfterFinished()))
                .withSuspend(SuspendPolicy.heldBackAtCreation(job, settings.scheduling()))
                // The next Pod starts only once the previous one has ended: it has written its SIGTERM checkpoint and
                // released the ReadWriteOnce volume.
                .withPodReplacementPolicy("Failed")
                .withPodFailurePolicy(podFailurePolicy())
                .withNewTemplate()
                .withNewMetadata().withLabels(ChildResources.labels(job, "trainer")).endMetadata()
                .withSpec(podSpec(job, settings))
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Disruptions (preemption, eviction, node drain) and SIGTERM checkpoints do not count against backoffLimit; bad
     * input fails the Job at once. The exit-code rules name no container, so they hold for {@code fetch} too.
     */
    static PodFailurePolicy podFailurePolicy() {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                .withAction("Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                .endRule()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes().withOperator("In").withValues(EXIT_BAD_INPUT).endOnExitCodes()
                .endRule()
                .addNewRule()
                .withAction("Ignore")
                .withNewOnExitCodes().withOperator("In").withValues(EXIT_INTERRUPTED).endOnExitCodes()
                .endRule()
                .build();
    }

    private static PodSpec podSpec(PreferenceAlignmentJob job, ChildSettings settings) {
        PreferenceAlignmentJobSpec spec = job.getSpec();
        ResourcesSpec resources = spec.getResources();
        Set<String> sourceClaims = sourceClaims(spec);
        String image = spec.getImage() == null || spec.getImage().isBlank() ? settings.defaultImage()
                : spec.getImage();
        List<VolumeMount> mounts = mounts(job, sourceClaims);
        List<EnvVar> env = env(spec);
        Container fetch = new ContainerBuilder()
                .withName(ChildResources.FETCH_CONTAINER)
                .withImage(image)
                .withArgs("fetch", "-f", CONFIG_DIR + "/" + CONFIG_FILE, "--work-dir", WORKSPACE)
                .withEnv(env)
                .withVolumeMounts(mounts)
                // Downloads need no GPU; a Pod's request is the larger of its init and main containers' anyway.
                .withResources(resources(resources, false))
                .withSecurityContext(containerSecurity())
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
        Container trainer = new ContainerBuilder()
                .withName(ChildResources.TRAINER_CONTAINER)
                .withImage(image)
                .withArgs("run", "-f", CONFIG_DIR + "/" + CONFIG_FILE, "--work-dir", WORKSPACE,
                        "--summary-file", TERMINATION_LOG)
                .withEnv(env)
                .withVolumeMounts(mounts)
                .addNewPort().withName(ChildResources.STATUS_PORT_NAME).withContainerPort(ChildResources.STATUS_PORT)
                .withProtocol("TCP").endPort()
                .withResources(resources(resources, true))
                .withSecurityContext(containerSecurity())
                // The trainer writes its run summary here; on a crash the log's tail stands in for it.
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
        return new PodSpecBuilder()
                .withRestartPolicy("Never") // retries are the Job's, so that podFailurePolicy sees every exit
                .withInitContainers(fetch)
                .withContainers(trainer)
                .withVolumes(volumes(job, sourceClaims))
                .withSecurityContext(podSecurity(settings.runAsUser()))
                .withTerminationGracePeriodSeconds(settings.terminationGracePeriodSeconds())
                .withAutomountServiceAccountToken(false) // the trainer never talks to the API server
                .withEnableServiceLinks(false)
                .withNodeSelector(resources.getNodeSelector() == null || resources.getNodeSelector().isEmpty() ? null
                        : resources.getNodeSelector())
                .withTolerations(resources.getTolerations() == null || resources.getTolerations().isEmpty() ? null
                        : resources.getTolerations())
                .withAffinity(resources.getAffinity())
                .withPriorityClassName(resources.getPriorityClassName() == null
                        || resources.getPriorityClassName().isBlank() ? null : resources.getPriorityClassName())
                .build();
    }

    /** The model token reaches the trainer only as a Secret reference; its value never passes the operator. */
    private static List<EnvVar> env(PreferenceAlignmentJobSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("PREFALIGN_PVC_ROOT").withValue(PVC_ROOT).build());
        SecretKeyRef token = spec.getModel().getTokenSecretRef();
        if (token != null) {
            env.add(new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                    .withName(token.getName()).withKey(token.getKey()).endSecretKeyRef().endValueFrom().build());
        }
        return env;
    }

    private static ResourceRequirements resources(ResourcesSpec spec, boolean withGpus) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        amounts.put("cpu", new Quantity(spec.getCpu()));
        amounts.put("memory", new Quantity(spec.getMemory()));
        if (withGpus && spec.getGpus() > 0) {
            amounts.put(spec.getGpuResourceName(), new Quantity(Integer.toString(spec.getGpus())));
        }
        // Requests equal to limits: the trainer is a steady load, and a GPU limit must equal its request anyway.
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(new LinkedHashMap<>(amounts)).build();
    }

    private static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    private static PodSecurityContext podSecurity(long user) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(user)
                .withRunAsGroup(user)
                .withFsGroup(user) // the volume must be writable by the non-root trainer
                .withFsGroupChangePolicy("OnRootMismatch") // no recursive chown of a large volume at every start
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    private static List<Volume> volumes(PreferenceAlignmentJob job, Set<String> sourceClaims) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(WORKSPACE_VOLUME).withNewPersistentVolumeClaim()
                .withClaimName(ChildResources.claimName(job)).endPersistentVolumeClaim().build());
        volumes.add(new VolumeBuilder().withName(CONFIG_VOLUME).withNewConfigMap()
                .withName(ChildResources.configMapName(job)).endConfigMap().build());
        volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
        int i = 0;
        for (String claim : sourceClaims) {
            if (!claim.equals(ChildResources.claimName(job))) {
                volumes.add(new VolumeBuilder().withName(sourceVolume(i)).withNewPersistentVolumeClaim()
                        .withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim().build());
            }
            i++;
        }
        return volumes;
    }

    private static List<VolumeMount> mounts(PreferenceAlignmentJob job, Set<String> sourceClaims) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName(WORKSPACE_VOLUME).withMountPath(WORKSPACE).build());
        mounts.add(new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(CONFIG_DIR).withReadOnly(true)
                .build());
        mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
        int i = 0;
        for (String claim : sourceClaims) {
            // A source on the job's own claim is read through the workspace volume: a claim is mounted once.
            String volume = claim.equals(ChildResources.claimName(job)) ? WORKSPACE_VOLUME : sourceVolume(i);
            mounts.add(new VolumeMountBuilder().withName(volume).withMountPath(PVC_ROOT + "/" + claim)
                    .withReadOnly(true).build());
            i++;
        }
        return mounts;
    }

    private static String sourceVolume(int index) {
        return "source-" + index;
    }

    /** Claims named by pvc://claim/path sources, in spec order, each once. */
    static Set<String> sourceClaims(PreferenceAlignmentJobSpec spec) {
        Set<String> claims = new LinkedHashSet<>();
        ModelSpec reference = spec.getReferenceModel();
        Stream.of(spec.getModel().getSource(), reference == null ? null : reference.getSource(),
                        spec.getDataset().getSource())
                .filter(s -> s != null && s.startsWith(PVC_SCHEME))
                .map(s -> s.substring(PVC_SCHEME.length()))
                .filter(s -> s.indexOf('/') > 0)
                .forEach(s -> claims.add(s.substring(0, s.indexOf('/'))));
        return claims;
    }
}
