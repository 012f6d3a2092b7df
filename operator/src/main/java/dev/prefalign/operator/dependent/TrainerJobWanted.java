package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The trainer Job is (re)created for a valid spec until the job has ended. Once the status records Succeeded or
 * Failed, a Job deleted later (ttlSecondsAfterFinished, by hand) is not run again.
 */
public class TrainerJobWanted implements Condition<Object, PreferenceAlignmentJob> {

    @Override
    public boolean isMet(DependentResource<Object, PreferenceAlignmentJob> dependent, PreferenceAlignmentJob job,
            Context<PreferenceAlignmentJob> context) {
        // no Job before its claim can exist: a Pod waiting for a claim that is never created would hide the cause
        return holds(job) && StorageClasses.missingBeforeClaim(job, context).isEmpty();
    }

    static boolean holds(PreferenceAlignmentJob job) {
        return SpecIsValid.holds(job) && !Phase.of(job.getStatus()).isTerminal();
    }
}
