package dev.prefalign.operator.status;

/**
 * What the scheduler says about a job whose Job is held back.
 *
 * @param position   its place among the jobs waiting for the operator's GPU budgets (1 = next); null under Kueue
 * @param reason     what holds it back: the full budget, or Kueue's words from the Workload
 * @param impossible set when no budget can ever give what it asks for
 */
public record QueueSlot(Integer position, String reason, boolean impossible) {

    public static QueueSlot waiting(int position, String reason) {
        return new QueueSlot(position, reason, false);
    }

    public static QueueSlot impossible(String reason) {
        return new QueueSlot(null, reason, true);
    }

    /** Kueue's reason, read from the job's Workload. */
    public static QueueSlot kueue(String reason) {
        return new QueueSlot(null, reason, false);
    }
}
