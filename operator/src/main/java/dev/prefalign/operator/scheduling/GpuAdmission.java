package dev.prefalign.operator.scheduling;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.operator.EventRecorder;
import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.operator.Timestamps;
import dev.prefalign.operator.dependent.ChildResources;
import dev.prefalign.operator.status.QueueSlot;
import dev.prefalign.operator.status.StatusCalculator;
import dev.prefalign.operator.status.StatusEvents.Note;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Admits trainer Jobs against the GPU budgets (scheduling mode {@code budgets}): every Job is created suspended, and
 * a pass over all jobs releases those that fit, in queue order ({@link GpuQueue}). Any reconcile may run the pass; it
 * runs one at a time, so two passes never hand out the same GPUs. Jobs count against a budget while their Job is
 * released and has not ended.
 *
 * <p>The pass reads the informer caches. A Job this process has just released (or suspended) may still look
 * unchanged there for a moment; those writes are remembered until the cache shows them, so a pass never counts a
 * released Job as waiting. A new process starts with fresh caches, so it needs no such memory.
 */
@ApplicationScoped
public class GpuAdmission {

    private static final Logger LOG = Logger.getLogger(GpuAdmission.class);

    private final ClusterBudgets budgets;
    private final OperatorConfig config;
    private final EventRecorder events;
    private final SchedulingMetrics metrics;
    /** Job uid -> the spec.suspend this process wrote, until the cache has caught up. */
    private final Map<String, Boolean> written = new HashMap<>();

    public GpuAdmission(ClusterBudgets budgets, OperatorConfig config, EventRecorder events,
            SchedulingMetrics metrics) {
        this.budgets = budgets;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    /** Runs a pass and says where {@code current} stands: waiting (with its place), impossible, or neither. */
    public synchronized Optional<QueueSlot> pass(PreferenceAlignmentJob current,
            Context<PreferenceAlignmentJob> context) {
        @SuppressWarnings("unchecked")
        Cache<Job> jobCache = (Cache<Job>) context.eventSourceRetriever().getEventSourceFor(Job.class);
        Map<String, Job> jobs = new HashMap<>();
        jobCache.list().forEach(j -> jobs.put(key(j.getMetadata().getNamespace(), j.getMetadata().getName()), j));

        Map<String, PreferenceAlignmentJob> resources = new HashMap<>();
        Map<String, Job> jobOf = new HashMap<>();
        List<GpuQueue.Candidate> candidates = new ArrayList<>();
        context.getPrimaryCache().list().forEach(resource -> {
            Job job = jobs.get(key(resource.getMetadata().getNamespace(), ChildResources.jobName(resource)));
            if (job == null || !competes(resource, job)) {
                return;
            }
            String key = key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
            resources.put(key, resource);
            jobOf.put(key, job);
            candidates.add(new GpuQueue.Candidate(key, resource.getMetadata().getNamespace(),
                    resource.getSpec().getResources().getGpuResourceName(), resource.getSpec().getResources().getGpus(),
                    budgets.priority(resource.getSpec().getResources().getPriorityClassName()),
                    created(resource), !suspended(job)));
        });

        GpuQueue.Budgets limits = budgets.budgets();
        GpuQueue.Decision decision = GpuQueue.decide(candidates, limits, config.scheduling().preemption());
        for (GpuQueue.Candidate victim : decision.preempt()) {
            if (setSuspend(jobOf.get(victim.key()), true, context.getClient())) {
                metrics.preempted();
                String by = decision.preemptedFor().get(victim.key());
                events.record(resources.get(victim.key()), new Note("Warning", "Preempted", "Suspended to give its "
                        + victim.gpus() + " " + victim.resource() + " to " + by + ", which has a higher priority; the "
                        + "trainer checkpoints and the job waits in the queue to resume."));
            }
        }
        for (GpuQueue.Candidate admitted : decision.admit()) {
            if (setSuspend(jobOf.get(admitted.key()), false, context.getClient())) {
                metrics.admitted(Duration.between(admitted.created(), Instant.now()));
                events.record(resources.get(admitted.key()), new Note("Normal", "Admitted", "Admitted with "
                        + admitted.gpus() + " " + admitted.resource() + " under the GPU budgets."));
            }
        }
        record(candidates, decision, limits);

        String key = key(current.getMetadata().getNamespace(), current.getMetadata().getName());
        if (decision.impossible().containsKey(key)) {
            return Optional.of(QueueSlot.impossible(decision.impossible().get(key)));
        }
        return Optional.ofNullable(decision.waiting().get(key)).map(w -> QueueSlot.waiting(w.position(), w.reason()));
    }

    /** A job takes part while it is neither finished, nor deleted, nor suspended by its owner. */
    private static boolean competes(PreferenceAlignmentJob resource, Job job) {
        return resource.getMetadata().getDeletionTimestamp() == null && !resource.getSpec().getRunPolicy().isSuspend()
                && !Phase.of(resource.getStatus()).isTerminal() && !StatusCalculator.jobEnded(job);
    }

    /** The Job's spec.suspend as this process last wrote it, or as the cache shows it once that caught up. */
    private boolean suspended(Job job) {
        boolean cached = Boolean.TRUE.equals(job.getSpec().getSuspend());
        String uid = job.getMetadata().getUid();
        Boolean mine = written.get(uid);
        if (mine == null) {
            return cached;
        }
        if (mine == cached) {
            written.remove(uid);
        }
        return mine;
    }

    private boolean setSuspend(Job job, boolean suspend, KubernetesClient client) {
        try {
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).edit(current -> {
                        current.getSpec().setSuspend(suspend);
                        return current;
                    });
            written.put(job.getMetadata().getUid(), suspend);
            return true;
        } catch (KubernetesClientException e) {
            // The next pass decides again from what the cluster then shows.
            LOG.warnf("could not set spec.suspend=%s on Job %s/%s: %s", suspend, job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), e.getMessage());
            return false;
        }
    }

    private void record(List<GpuQueue.Candidate> candidates, GpuQueue.Decision decision, GpuQueue.Budgets limits) {
        Map<String, Map<String, Integer>> held = new HashMap<>();
        List<GpuQueue.Candidate> holders = new ArrayList<>(decision.admit());
        candidates.stream().filter(GpuQueue.Candidate::holding)
                .filter(c -> decision.preempt().stream().noneMatch(p -> p.key().equals(c.key())))
                .forEach(holders::add);
        for (GpuQueue.Candidate c : holders) {
            held.computeIfAbsent(SchedulingMetrics.CLUSTER, k -> new HashMap<>())
                    .merge(c.resource(), c.gpus(), Integer::sum);
            held.computeIfAbsent(c.namespace(), k -> new HashMap<>()).merge(c.resource(), c.gpus(), Integer::sum);
        }
        Map<String, Map<String, Integer>> budgets = new HashMap<>(limits.namespaces());
        budgets.put(SchedulingMetrics.CLUSTER, limits.cluster());
        metrics.usage(held, budgets);
        metrics.queueLength(decision.waiting().size() + decision.impossible().size());
    }

    private static Instant created(PreferenceAlignmentJob resource) {
        return Timestamps.parse(resource.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
