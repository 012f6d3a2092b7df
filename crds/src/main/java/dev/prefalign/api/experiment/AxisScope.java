package dev.prefalign.api.experiment;

import dev.prefalign.api.v1alpha1.spec.Method;

/**
 * Which runs a grid axis varies. The {@code dpo} section and {@code referenceModel} mean something to DPO only and
 * {@code orpo} to ORPO only, so {@code dpo.beta: [0.1, 0.5]} next to {@code method: [DPO, ORPO]} gives two DPO runs
 * and one ORPO run, not two identical ORPO runs.
 */
enum AxisScope {
    EVERY_METHOD(null),
    DPO_ONLY(Method.DPO),
    ORPO_ONLY(Method.ORPO);

    private final Method method;

    AxisScope(Method method) {
        this.method = method;
    }

    static AxisScope of(String path) {
        String section = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        return switch (section) {
            case "dpo", "referenceModel" -> DPO_ONLY;
            case "orpo" -> ORPO_ONLY;
            default -> EVERY_METHOD;
        };
    }

    /** @param method the run's method; null when it is not a known method (that run is reported invalid anyway) */
    boolean appliesTo(Method method) {
        return this.method == null || this.method == method;
    }

    /** The method this axis is limited to; null for every method. */
    Method method() {
        return method;
    }
}
