package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The operator creates a claim only for a valid spec without spec.storage.existingClaim, and only of a StorageClass
 * that exists.
 */
public class OwnClaimWanted implements Condition<Object, PreferenceAlignmentJob> {

    @Override
    public boolean isMet(DependentResource<Object, PreferenceAlignmentJob> dependent, PreferenceAlignmentJob job,
            Context<PreferenceAlignmentJob> context) {
        return SpecIsValid.holds(job) && ChildResources.createsOwnClaim(job)
                && StorageClasses.missingBeforeClaim(job, context).isEmpty();
    }
}
