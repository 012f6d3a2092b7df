package dev.prefalign.operator.scheduling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admission against GPU budgets, as a pure function of the jobs that hold GPUs and the jobs that wait for them. The
 * same cluster state always gives the same decision, so a restarted operator (or a new leader) decides as the old one
 * would have.
 *
 * <p>Waiting jobs are taken in order of priority (higher first), then creation time (older first), then namespace
 * and name. Each is admitted when its GPUs fit both the cluster budget and its namespace's budget for its GPU resource
 * name; a job that does not fit waits, and a later, smaller one may still be admitted (Kueue's BestEffortFIFO). With
 * preemption on, a job that does not fit may suspend jobs of lower priority that hold the budget it needs, the lowest
 * priority first and, among equals, the newest first, but only when that makes it fit.
 */
public final class GpuQueue {

    private GpuQueue() {
    }

    /**
     * A job that holds GPUs (its Job is released) or waits for them (its Job is held back).
     *
     * @param key      namespace/name
     * @param resource the GPU resource name (spec.resources.gpuResourceName)
     * @param priority the value of its PriorityClass, 0 without one
     */
    public record Candidate(String key, String namespace, String resource, int gpus, int priority, Instant created,
            boolean holding) {

        static final Comparator<Candidate> ADMISSION_ORDER = Comparator.comparingInt(Candidate::priority).reversed()
                .thenComparing(Candidate::created).thenComparing(Candidate::key);
        /** Victims: lowest priority first, then the newest. */
        static final Comparator<Candidate> PREEMPTION_ORDER = Comparator.comparingInt(Candidate::priority)
                .thenComparing(Candidate::created, Comparator.reverseOrder()).thenComparing(Candidate::key);
    }

    /**
     * GPUs per resource name: for the whole cluster, and per namespace. A resource name without an entry is not
     * limited at that scope.
     */
    public record Budgets(Map<String, Integer> cluster, Map<String, Map<String, Integer>> namespaces) {

        public static final Budgets NONE = new Budgets(Map.of(), Map.of());

        Optional<Integer> clusterLimit(String resource) {
            return Optional.ofNullable(cluster.get(resource));
        }

        Optional<Integer> namespaceLimit(String namespace, String resource) {
            return Optional.ofNullable(namespaces.getOrDefault(namespace, Map.of()).get(resource));
        }
    }

    /** A job that waits: its place among all waiting jobs (1 = next) and which budget holds it back. */
    public record Waiting(int position, String reason) {
    }

    /**
     * @param admit      jobs to release now, in admission order
     * @param preempt    jobs to suspend now so that a job of higher priority fits
     * @param waiting    the jobs that still wait, by key
     * @param impossible jobs that ask for more GPUs than a budget can ever give, by key, with the reason
     * @param preemptedFor for each job to suspend, the key of the job it makes room for
     */
    public record Decision(List<Candidate> admit, List<Candidate> preempt, Map<String, Waiting> waiting,
            Map<String, String> impossible, Map<String, String> preemptedFor) {
    }

    public static Decision decide(List<Candidate> candidates, Budgets budgets, boolean preemption) {
        Usage usage = new Usage();
        List<Candidate> holding = new ArrayList<>();
        List<Candidate> waiting = new ArrayList<>();
        Map<String, String> impossible = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (c.holding()) {
                holding.add(c);
                usage.add(c);
            } else {
                impossibility(c, budgets).ifPresentOrElse(reason -> impossible.put(c.key(), reason),
                        () -> waiting.add(c));
            }
        }
        waiting.sort(Candidate.ADMISSION_ORDER);
        List<Candidate> admit = new ArrayList<>();
        List<Candidate> preempt = new ArrayList<>();
        Map<String, String> preemptedFor = new LinkedHashMap<>();
        List<Candidate> stillWaiting = new ArrayList<>();
        Map<String, String> reasons = new HashMap<>();
        for (Candidate w : waiting) {
            Optional<String> blocked = usage.blocker(w, budgets);
            if (blocked.isPresent() && preemption) {
                List<Candidate> victims = victims(w, holding, usage, budgets);
                if (!victims.isEmpty()) {
                    victims.forEach(v -> {
                        usage.remove(v);
                        holding.remove(v);
                        preemptedFor.put(v.key(), w.key());
                    });
                    preempt.addAll(victims);
                    blocked = Optional.empty();
                }
            }
            if (blocked.isEmpty()) {
                admit.add(w);
                usage.add(w);
                holding.add(w);
            } else {
                stillWaiting.add(w);
                reasons.put(w.key(), blocked.get());
            }
        }
        Map<String, Waiting> positions = new LinkedHashMap<>();
        for (int i = 0; i < stillWaiting.size(); i++) {
            Candidate w = stillWaiting.get(i);
            positions.put(w.key(), new Waiting(i + 1, reasons.get(w.key())));
        }
        return new Decision(admit, preempt, positions, impossible, preemptedFor);
    }

    private static Optional<String> impossibility(Candidate c, Budgets budgets) {
        Optional<Integer> cluster = budgets.clusterLimit(c.resource());
        if (cluster.isPresent() && c.gpus() > cluster.get()) {
            return Optional.of("it asks for " + c.gpus() + " " + c.resource() + " but the cluster budget is "
                    + cluster.get());
        }
        Optional<Integer> namespace = budgets.namespaceLimit(c.namespace(), c.resource());
        if (namespace.isPresent() && c.gpus() > namespace.get()) {
            return Optional.of("it asks for " + c.gpus() + " " + c.resource() + " but the budget of namespace "
                    + c.namespace() + " is " + namespace.get());
        }
        return Optional.empty();
    }

    /**
     * Lower-priority holders, taken in preemption order until their GPUs make {@code w} fit, then thinned out so
     * that no job is suspended that {@code w} does not need; empty when even all of them would not make it fit.
     */
    private static List<Candidate> victims(Candidate w, List<Candidate> holding, Usage usage, Budgets budgets) {
        List<Candidate> eligible = holding.stream()
                .filter(h -> h.priority() < w.priority() && h.resource().equals(w.resource()) && h.gpus() > 0)
                .sorted(Candidate.PREEMPTION_ORDER).toList();
        Usage trial = usage.copy();
        List<Candidate> chosen = new ArrayList<>();
        for (Candidate h : eligible) {
            if (trial.blocker(w, budgets).isEmpty()) {
                break;
            }
            if (trial.helps(h, w, budgets)) {
                trial.remove(h);
                chosen.add(h);
            }
        }
        if (trial.blocker(w, budgets).isPresent()) {
            return List.of();
        }
        // Keep running any chosen job that turns out not to be needed, trying the last-chosen (most protected) first.
        for (int i = chosen.size() - 1; i >= 0; i--) {
            Candidate kept = chosen.get(i);
            trial.add(kept);
            if (trial.blocker(w, budgets).isPresent()) {
                trial.remove(kept);
            } else {
                chosen.remove(i);
            }
        }
        return chosen;
    }

    /** GPUs held, per resource in the cluster and per namespace and resource. */
    private static final class Usage {
        private final Map<String, Integer> cluster = new HashMap<>();
        private final Map<String, Integer> namespaces = new HashMap<>();

        void add(Candidate c) {
            cluster.merge(c.resource(), c.gpus(), Integer::sum);
            namespaces.merge(c.namespace() + "\u0000" + c.resource(), c.gpus(), Integer::sum);
        }

        void remove(Candidate c) {
            cluster.merge(c.resource(), -c.gpus(), Integer::sum);
            namespaces.merge(c.namespace() + "\u0000" + c.resource(), -c.gpus(), Integer::sum);
        }

        int clusterUsed(String resource) {
            return cluster.getOrDefault(resource, 0);
        }

        int namespaceUsed(String namespace, String resource) {
            return namespaces.getOrDefault(namespace + "\u0000" + resource, 0);
        }

        /** Which budget keeps {@code w} out, if one does. */
        Optional<String> blocker(Candidate w, Budgets budgets) {
            Optional<Integer> cluster = budgets.clusterLimit(w.resource());
            if (cluster.isPresent() && clusterUsed(w.resource()) + w.gpus() > cluster.get()) {
                return Optional.of("the cluster budget for " + w.resource() + " is full (" + clusterUsed(w.resource())
                        + " of " + cluster.get() + " in use, " + w.gpus() + " needed)");
            }
            Optional<Integer> namespace = budgets.namespaceLimit(w.namespace(), w.resource());
            if (namespace.isPresent() && namespaceUsed(w.namespace(), w.resource()) + w.gpus() > namespace.get()) {
                return Optional.of("the budget of namespace " + w.namespace() + " for " + w.resource() + " is full ("
                        + namespaceUsed(w.namespace(), w.resource()) + " of " + namespace.get() + " in use, "
                        + w.gpus() + " needed)");
            }
            return Optional.empty();
        }

        /** Whether suspending {@code h} frees GPUs under a budget that keeps {@code w} out. */
        boolean helps(Candidate h, Candidate w, Budgets budgets) {
            boolean clusterFull = budgets.clusterLimit(w.resource())
                    .map(limit -> clusterUsed(w.resource()) + w.gpus() > limit).orElse(false);
            boolean namespaceFull = budgets.namespaceLimit(w.namespace(), w.resource())
                    .map(limit -> namespaceUsed(w.namespace(), w.resource()) + w.gpus() > limit).orElse(false);
            // Under a full namespace budget only the namespace's own jobs help (they free the cluster budget too).
            return namespaceFull ? h.namespace().equals(w.namespace()) : clusterFull;
        }

        Usage copy() {
            Usage copy = new Usage();
            copy.cluster.putAll(cluster);
            copy.namespaces.putAll(namespaces);
            return copy;
        }
    }
}
