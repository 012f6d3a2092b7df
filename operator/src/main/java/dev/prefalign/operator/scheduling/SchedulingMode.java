package dev.prefalign.operator.scheduling;

/** Who decides when a trainer Job may start. */
public enum SchedulingMode {
    /** Kueue if its CRDs are installed, else {@link #BUDGETS}. */
    AUTO,
    /**
     * Kueue: a job whose resource carries {@code kueue.x-k8s.io/queue-name} gets its Job created suspended, and Kueue
     * releases it (and may suspend it again to preempt it). The operator never overrides Kueue on spec.suspend.
     */
    KUEUE,
    /** The operator admits jobs against GPU budgets: every Job is created suspended and released in queue order. */
    BUDGETS,
    /** No queueing: Jobs start at once (Kueue may still act on the queue label through its webhook). */
    NONE
}
