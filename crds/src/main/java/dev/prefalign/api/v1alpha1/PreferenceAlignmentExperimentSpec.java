package dev.prefalign.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an experiment varies. {@code base}, {@code grid}, {@code variations} and {@code evaluation} keep the free form
 * of the experiment file (docs/experiments.md): a grid value may be any value of the field it sets, and the base may
 * carry sections that only some runs use (an {@code orpo} section on a DPO base, for the grid's ORPO runs), which a
 * typed job schema with its cross-field rules would refuse. The operator validates every run as a job instead, and
 * reports all problems at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreferenceAlignmentExperimentSpec {

    @Required
    @PreserveUnknownFields
    @JsonPropertyDescription("A PreferenceAlignmentJob spec every run starts from, as under spec: of a job manifest.")
    private JsonNode base;

    @PreserveUnknownFields
    @JsonPropertyDescription("Axes crossed into runs: a spec field relative to spec (method, dpo.beta, "
            + "training.learningRate, ...) -> the list of values it takes. dpo.* and referenceModel vary DPO runs "
            + "only, orpo.* ORPO runs only.")
    private JsonNode grid;

    @PreserveUnknownFields
    @JsonPropertyDescription("Partial specs laid over the base, one more run each; not crossed with the grid.")
    private List<JsonNode> variations = new ArrayList<>();

    @PreserveUnknownFields
    @JsonPropertyDescription("Scoring settings for compare and report (prompts, maxNewTokens, rules, judge, rankBy); "
            + "kept for them, the operator does not score runs.")
    private JsonNode evaluation;

    @Min(1)
    @Default("1")
    @JsonPropertyDescription("How many of the experiment's jobs may be unfinished at once; the others wait.")
    private int maxConcurrent = 1;

    public JsonNode getBase() {
        return base;
    }

    public void setBase(JsonNode base) {
        this.base = base;
    }

    public JsonNode getGrid() {
        return grid;
    }

    public void setGrid(JsonNode grid) {
        this.grid = grid;
    }

    public List<JsonNode> getVariations() {
        return variations;
    }

    public void setVariations(List<JsonNode> variations) {
        this.variations = variations == null ? new ArrayList<>() : variations;
    }

    public JsonNode getEvaluation() {
        return evaluation;
    }

    public void setEvaluation(JsonNode evaluation) {
        this.evaluation = evaluation;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferenceAlignmentExperimentSpec other && maxConcurrent == other.maxConcurrent
                && Objects.equals(base, other.base) && Objects.equals(grid, other.grid)
                && Objects.equals(variations, other.variations) && Objects.equals(evaluation, other.evaluation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, grid, variations, evaluation, maxConcurrent);
    }
}
