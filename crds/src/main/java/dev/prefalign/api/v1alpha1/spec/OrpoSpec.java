package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** ORPO settings; used only with method ORPO. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OrpoSpec {

    @Default("0.1")
    @Min(0)
    @JsonPropertyDescription("Weight of the odds-ratio term added to the SFT loss (TRL calls it beta). Must be >= 0.")
    private double lambda = 0.1;

    public double getLambda() {
        return lambda;
    }

    public void setLambda(double lambda) {
        this.lambda = lambda;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrpoSpec other && Double.compare(lambda, other.lambda) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lambda);
    }

    @Override
    public String toString() {
        return "OrpoSpec{lambda=" + lambda + "}";
    }
}
