package dev.prefalign.operator.status;

/** The condition types in status.conditions. */
public final class ConditionTypes {

    /** kstatus: the job's result is there (it Succeeded). */
    public static final String READY = "Ready";
    /** kstatus: the operator or the trainer is still working toward the result. */
    public static final String RECONCILING = "Reconciling";
    /** kstatus: no progress without a change by the user (an invalid spec, a failed run). */
    public static final String STALLED = "Stalled";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String SUSPENDED = "Suspended";
    /** At least one complete checkpoint exists; its message names the newest. */
    public static final String CHECKPOINT_SAVED = "CheckpointSaved";

    private ConditionTypes() {
    }
}
