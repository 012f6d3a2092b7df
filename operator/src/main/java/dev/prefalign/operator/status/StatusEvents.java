package dev.prefalign.operator.status;

import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Optional;

/** Which Kubernetes Event a status change deserves: one per phase change, and one per new reason to be stalled. */
public final class StatusEvents {

    private StatusEvents() {
    }

    /**
     * An Event to record.
     *
     * @param type Normal or Warning
     */
    public record Note(String type, String reason, String message) {
    }

    public static Optional<Note> between(PreferenceAlignmentJobStatus before, PreferenceAlignmentJobStatus after) {
        Optional<Condition> stalledNow = stalled(after);
        if (stalledNow.isPresent()) {
            Optional<Condition> stalledBefore = stalled(before);
            boolean same = stalledBefore.isPresent()
                    && Objects.equals(stalledBefore.get().getReason(), stalledNow.get().getReason())
                    && Objects.equals(stalledBefore.get().getMessage(), stalledNow.get().getMessage());
            return same ? Optional.empty()
                    : Optional.of(new Note("Warning", stalledNow.get().getReason(), stalledNow.get().getMessage()));
        }
        Phase was = before == null ? null : before.getPhase();
        if (after.getPhase() == was) {
            return Optional.empty();
        }
        return Optional.of(new Note("Normal", after.getPhase().name(), after.getMessage()));
    }

    private static Optional<Condition> stalled(PreferenceAlignmentJobStatus status) {
        return status == null ? Optional.empty()
                : Conditions.find(status.getConditions(), ConditionTypes.STALLED)
                        .filter(c -> "True".equals(c.getStatus()));
    }
}
