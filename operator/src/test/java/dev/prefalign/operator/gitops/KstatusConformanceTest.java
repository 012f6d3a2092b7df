package dev.prefalign.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.gitops.Kstatus.Result;
import dev.prefalign.operator.gitops.Kstatus.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's statuses read by kstatus (Flux, kpt, cli-utils' appliers): each situation must map to the kstatus
 * result its phase means, through the standard conditions rather than by accident.
 */
class KstatusConformanceTest {

    private static Result kstatus(PreferenceAlignmentJob resource) {
        return Kstatus.compute(Situations.json(resource));
    }

    @Test
    void jobsInProgressAreInProgressThroughReconciling() {
        for (PreferenceAlignmentJob resource : List.of(Situations.creating(), Situations.waitingForKueue(),
                Situations.fetching(), Situations.training())) {
            assertThat(kstatus(resource)).as(resource.getStatus().getPhase().name())
                    .isEqualTo(new Result(Status.InProgress, resource.getStatus().getMessage()));
        }
    }

    @Test
    void aSucceededJobIsCurrent() {
        assertThat(kstatus(Situations.succeeded()).status()).isEqualTo(Status.Current);
        assertThat(kstatus(Situations.succeededAndJobDeleted()).status()).isEqualTo(Status.Current);
    }

    /** Suspended is the state the spec asks for, so the apply is done. */
    @Test
    void aSuspendedJobIsCurrent() {
        assertThat(kstatus(Situations.suspended()).status()).isEqualTo(Status.Current);
    }

    @Test
    void failuresAndInvalidSpecsAreFailedThroughStalled() {
        for (PreferenceAlignmentJob resource : List.of(Situations.invalidSpec(), Situations.trainingWithABrokenEdit(),
                Situations.backoffLimitExceeded(), Situations.invalidInput())) {
            assertThat(kstatus(resource)).as(resource.getStatus().getMessage())
                    .isEqualTo(new Result(Status.Failed, resource.getStatus().getMessage()));
        }
    }

    @Test
    void aStatusOlderThanTheSpecIsInProgress() {
        assertThat(kstatus(Situations.editedSinceLastStatus(Situations.succeeded())))
                .isEqualTo(new Result(Status.InProgress, "generation is 2, but latest observed generation is 1"));
    }

    /**
     * kstatus lets the first True standard condition decide, so Reconciling and Stalled must never both be True,
     * and every condition must be about the generation the status describes.
     */
    @Test
    void everyStatusHasOneVerdictAtItsOwnGeneration() {
        List<PreferenceAlignmentJob> all = List.of(Situations.creating(), Situations.invalidSpec(),
                Situations.waitingForKueue(), Situations.fetching(), Situations.training(),
                Situations.trainingWithABrokenEdit(), Situations.suspended(), Situations.succeeded(),
                Situations.succeededAndJobDeleted(), Situations.backoffLimitExceeded(), Situations.invalidInput());
        assertThat(all).allSatisfy(resource -> {
            JsonNode json = Situations.json(resource);
            long generation = json.path("metadata").path("generation").asLong();
            assertThat(json.path("status").path("observedGeneration").asLong()).isEqualTo(generation);
            long trueAbnormal = 0;
            for (JsonNode c : json.path("status").path("conditions")) {
                assertThat(c.path("observedGeneration").asLong()).isEqualTo(generation);
                String type = c.path("type").asText();
                if ((type.equals("Reconciling") || type.equals("Stalled")) && c.path("status").asText().equals("True")) {
                    trueAbnormal++;
                }
            }
            assertThat(trueAbnormal).as("Reconciling/Stalled True in " + resource.getStatus().getPhase())
                    .isLessThanOrEqualTo(1);
        });
    }

    /**
     * kstatus's documented corner case: before the operator writes a status there are no conditions and no
     * observedGeneration, so kstatus assumes the resource is reconciled. Recorded here so a change is noticed.
     */
    @Test
    void aJobTheOperatorHasNotSeenIsCurrentToKstatus() {
        assertThat(kstatus(Situations.applied()).status()).isEqualTo(Status.Current);
    }
}
