package dev.prefalign.operator.status;

import dev.prefalign.api.v1alpha1.status.Phase;

/**
 * Where a job stands, in one phase with the reason (a CamelCase word, as conditions need) and a sentence for people.
 *
 * @param stalled set when the job cannot progress without a user's change (invalid spec, failure): kstatus Stalled
 */
public record Verdict(Phase phase, String reason, String message, boolean stalled) {

    static Verdict progressing(Phase phase, String reason, String message) {
        return new Verdict(phase, reason, message, false);
    }

    static Verdict stalled(Phase phase, String reason, String message) {
        return new Verdict(phase, reason, message, true);
    }
}
