package dev.prefalign.api.v1alpha1.spec;

/** The training objective; serialised as written (DPO, ORPO, SFT). */
public enum Method {
    /** Direct Preference Optimization against a frozen reference model (Rafailov et al. 2023). */
    DPO,
    /** Odds Ratio Preference Optimization: SFT loss plus an odds-ratio term, no reference model (Hong et al. 2024). */
    ORPO,
    /** Supervised fine-tuning on the chosen completions only. */
    SFT;

    /** Whether this method compares the policy with a reference model (and so accepts spec.referenceModel). */
    public boolean usesReferenceModel() {
        return this == DPO;
    }
}
