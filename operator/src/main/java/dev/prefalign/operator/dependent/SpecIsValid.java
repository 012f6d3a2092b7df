package dev.prefalign.operator.dependent;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.validation.SpecValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Nothing is created for a spec that breaks a rule; the status says which (Stalled, reason InvalidSpec). */
public class SpecIsValid implements Condition<Object, PreferenceAlignmentJob> {

    @Override
    public boolean isMet(DependentResource<Object, PreferenceAlignmentJob> dependent, PreferenceAlignmentJob job,
            Context<PreferenceAlignmentJob> context) {
        return holds(job);
    }

    static boolean holds(PreferenceAlignmentJob job) {
        return job.getSpec() != null && SpecValidator.validate(job.getSpec()).isEmpty();
    }
}
