package dev.prefalign.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.prefalign.operator.scheduling.SchedulingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The operator's own settings, under {@code prefalign.operator.*} (environment: {@code PREFALIGN_OPERATOR_*}). */
@ConfigMapping(prefix = "prefalign.operator")
public interface OperatorConfig {

    /** The trainer Pod. */
    Trainer trainer();

    /** The volumes the operator creates. */
    Storage storage();

    /** How often a running trainer's /status is read into the resource's status.progress and status.metrics. */
    @WithDefault("30s")
    Duration statusPollInterval();

    /** Namespaces whose PreferenceAlignmentJobs this operator runs; left out: every namespace. */
    Optional<Set<String>> watchedNamespaces();

    /** When trainer Jobs may start: Kueue, the operator's GPU budgets, or at once. */
    Scheduling scheduling();

    interface Scheduling {

        /** auto: Kueue when its CRDs are installed, else budgets; or kueue, budgets, none. */
        @WithDefault("auto")
        SchedulingMode mode();

        /**
         * GPUs the whole cluster may give to jobs, per resource name: {@code nvidia.com/gpu=8,amd.com/gpu=2} (one
         * string, so that an environment variable can carry it). A resource name left out is not limited. Namespaces
         * limit themselves with a ConfigMap (see docs/scheduling.md).
         */
        Optional<String> clusterBudget();

        /** Whether a job of higher priority that does not fit suspends running jobs of lower priority. */
        @WithDefault("false")
        boolean preemption();
    }

    interface Trainer {

        /** Image for jobs whose spec.image is empty. */
        String image();

        /**
         * Seconds a stopping trainer gets to finish its step and write a checkpoint (on preemption, eviction or
         * suspension) before it is killed. Kubernetes' 30 s default is too short for checkpoints of large models.
         */
        @WithDefault("600")
        long terminationGracePeriodSeconds();

        /** User and group id the trainer runs as (it must not be root); also the volume's fsGroup. */
        @WithDefault("1000")
        long runAsUser();
    }

    interface Storage {

        /** StorageClass of created claims whose spec.storage.storageClassName is empty; none: the cluster's default. */
        Optional<String> defaultStorageClass();
    }
}
