package dev.prefalign.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kstatus's rules for a custom resource, as documented in sigs.k8s.io/cli-utils pkg/kstatus/README.md ("Statuses",
 * "Conditions", "The Ready Condition") and applied by its status.Compute for kinds with no built-in rule. Encoded
 * here so the operator's statuses are checked against them without a Go toolchain.
 */
final class Kstatus {

    enum Status { InProgress, Failed, Current, Terminating }

    record Result(Status status, String message) {
    }

    private Kstatus() {
    }

    static Result compute(JsonNode resource) {
        JsonNode metadata = resource.path("metadata");
        // A resource scheduled for deletion is Terminating, whatever its status says.
        if (!metadata.path("deletionTimestamp").asText("").isEmpty()) {
            return new Result(Status.Terminating, "Resource scheduled for deletion");
        }
        // "If the generation and the observedGeneration of a resource does not match, it means there are changes
        // that the controller has not yet seen": InProgress. Skipped when either field is absent.
        JsonNode generation = metadata.path("generation");
        JsonNode observed = resource.path("status").path("observedGeneration");
        if (generation.isNumber() && observed.isNumber() && generation.asLong() != observed.asLong()) {
            return new Result(Status.InProgress, "generation is " + generation.asLong()
                    + ", but latest observed generation is " + observed.asLong());
        }
        // The standard "abnormal-true" conditions decide alone, the first one True in list order:
        // Reconciling=True -> InProgress, Stalled=True -> Failed.
        JsonNode conditions = resource.path("status").path("conditions");
        boolean adoptedStandardConditions = false;
        for (JsonNode c : conditions) {
            String type = c.path("type").asText();
            boolean isTrue = "True".equals(c.path("status").asText());
            adoptedStandardConditions |= type.equals("Reconciling") || type.equals("Stalled");
            if (isTrue && type.equals("Reconciling")) {
                return new Result(Status.InProgress, c.path("message").asText());
            }
            if (isTrue && type.equals("Stalled")) {
                return new Result(Status.Failed, c.path("message").asText());
            }
        }
        // The Ready fallback only applies to resources that have not adopted Reconciling/Stalled.
        if (!adoptedStandardConditions) {
            for (JsonNode c : conditions) {
                if ("Ready".equals(c.path("type").asText())) {
                    return "True".equals(c.path("status").asText())
                            ? new Result(Status.Current, "Ready")
                            : new Result(Status.InProgress, c.path("message").asText());
                }
            }
        }
        // Absence of the abnormal conditions means the latest generation is fully reconciled.
        return new Result(Status.Current, "Resource is current");
    }
}
