package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** DPO settings; used only with method DPO. */
// Also checked by SpecValidator (DpoLossType.usesLabelSmoothing), for local runs and as the operator's backstop.
@ValidationRule(value = "self.labelSmoothing == 0.0 || self.lossType == 'sigmoid' || self.lossType == 'robust'",
        fieldPath = ".labelSmoothing",
        message = "labelSmoothing applies only to lossType sigmoid or robust; set it to 0 or change the loss")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DpoSpec {

    @Default("0.1")
    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("Temperature of the implicit reward: how far the policy may move from the reference "
            + "model. Must be > 0.")
    private double beta = 0.1;

    @Default("sigmoid")
    @JsonPropertyDescription("Loss: sigmoid (DPO), ipo, hinge or robust.")
    private DpoLossType lossType = DpoLossType.SIGMOID;

    @Default("0.0")
    @Min(0)
    @Max(value = 0.5, inclusive = false)
    @JsonPropertyDescription("Assumed rate of flipped preference labels, in [0, 0.5) (cDPO / robust DPO). "
            + "Only the sigmoid and robust losses use it.")
    private double labelSmoothing = 0.0;

    @Default("false")
    @JsonPropertyDescription("Compute the reference model's log-probabilities once before training and keep them on "
            + "the job's volume, so no reference weights stay in memory while training.")
    private boolean precomputeReferenceLogProbs = false;

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public DpoLossType getLossType() {
        return lossType;
    }

    public void setLossType(DpoLossType lossType) {
        this.lossType = lossType;
    }

    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    public void setLabelSmoothing(double labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
    }

    public boolean isPrecomputeReferenceLogProbs() {
        return precomputeReferenceLogProbs;
    }

    public void setPrecomputeReferenceLogProbs(boolean precomputeReferenceLogProbs) {
        this.precomputeReferenceLogProbs = precomputeReferenceLogProbs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpoSpec other
                && Double.compare(beta, other.beta) == 0
                && lossType == other.lossType
                && Double.compare(labelSmoothing, other.labelSmoothing) == 0
                && precomputeReferenceLogProbs == other.precomputeReferenceLogProbs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(beta, lossType, labelSmoothing, precomputeReferenceLogProbs);
    }

    @Override
    public String toString() {
        return "DpoSpec{beta=" + beta + ", lossType=" + lossType + ", labelSmoothing=" + labelSmoothing
                + ", precomputeReferenceLogProbs=" + precomputeReferenceLogProbs + "}";
    }
}
