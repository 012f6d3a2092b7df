package dev.prefalign.operator.status;

import static dev.prefalign.operator.status.ConditionTypes.CHECKPOINT_SAVED;
import static dev.prefalign.operator.status.ConditionTypes.FAILED;
import static dev.prefalign.operator.status.ConditionTypes.READY;
import static dev.prefalign.operator.status.ConditionTypes.RECONCILING;
import static dev.prefalign.operator.status.ConditionTypes.STALLED;
import static dev.prefalign.operator.status.ConditionTypes.SUCCEEDED;
import static dev.prefalign.operator.status.ConditionTypes.SUSPENDED;

import dev.prefalign.api.v1alpha1.status.CheckpointRef;
import dev.prefalign.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The conditions of a status, all seven every time, each with observedGeneration. A condition keeps its
 * lastTransitionTime while its status stays the same (metav1.Condition's rule), so re-deriving the status from the
 * cluster at every reconcile moves no timestamps.
 */
public final class Conditions {

    private Conditions() {
    }

    static List<Condition> of(Verdict verdict, List<CheckpointRef> checkpoints, List<Condition> previous,
            long generation, String now) {
        Phase phase = verdict.phase();
        boolean reconciling = !verdict.stalled() && !phase.isTerminal() && phase != Phase.Suspended;
        CheckpointRef newest = checkpoints == null || checkpoints.isEmpty() ? null : checkpoints.get(0);
        return List.of(
                condition(READY, phase == Phase.Succeeded, verdict, previous, generation, now),
                condition(RECONCILING, reconciling, verdict, previous, generation, now),
                condition(STALLED, verdict.stalled(), verdict, previous, generation, now),
                condition(SUCCEEDED, phase == Phase.Succeeded, verdict, previous, generation, now),
                condition(FAILED, phase == Phase.Failed, verdict, previous, generation, now),
                condition(SUSPENDED, phase == Phase.Suspended, verdict, previous, generation, now),
                newest == null
                        ? build(CHECKPOINT_SAVED, false, "NoCheckpoint", "No checkpoint has been written yet.",
                                previous, generation, now)
                        : build(CHECKPOINT_SAVED, true, CHECKPOINT_SAVED, "Step " + newest.getStep() + " at "
                                + newest.getPath(), previous, generation, now));
    }

    /** True conditions carry the verdict's reason and message; false ones name the phase the job is in. */
    private static Condition condition(String type, boolean status, Verdict verdict, List<Condition> previous,
            long generation, String now) {
        return status
                ? build(type, true, verdict.reason(), verdict.message(), previous, generation, now)
                : build(type, false, verdict.phase().name(), "", previous, generation, now);
    }

    /** One condition; it keeps the lastTransitionTime of the previous condition of its type with the same status. */
    public static Condition build(String type, boolean status, String reason, String message,
            List<Condition> previous, long generation, String now) {
        String value = status ? "True" : "False";
        String since = find(previous, type).filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).orElse(now);
        return new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
