package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** DPO loss variants as TRL names them; written in lower case in manifests. */
public enum DpoLossType {
    /** -log sigmoid(beta*d), with cDPO label smoothing (Rafailov et al. 2023). */
    @JsonProperty("sigmoid") SIGMOID,
    /** (d_avg - 1/(2*beta))^2 on length-averaged log-probs (Azar et al. 2023). */
    @JsonProperty("ipo") IPO,
    /** relu(1 - beta*d), the SLiC hinge loss. */
    @JsonProperty("hinge") HINGE,
    /** Noise-robust DPO: the unbiased estimator under label-flip rate labelSmoothing. */
    @JsonProperty("robust") ROBUST;

    /** Whether the loss formula uses labelSmoothing (see alignment-math.md); hinge and ipo ignore it. */
    public boolean usesLabelSmoothing() {
        return this == SIGMOID || this == ROBUST;
    }
}
