package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** The preference pairs to train on, and which of them to hold out for evaluation. */
// Also checked by SpecValidator, for local runs and as the operator's backstop.
@ValidationRule(value = "!has(self.evalSplit) || self.evalFraction == 0.0", fieldPath = ".evalFraction",
        message = "evalSplit and evalFraction are both set; evaluate on a split or on a held-out fraction, not both")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatasetSpec {

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Dataset location: hf://datasets/<repo>[@<revision>] (Hugging Face Hub), "
            + "pvc://<claim>/<path>, or a local .jsonl/.json/.parquet file or folder of them.")
    private String source;

    @Default("train")
    @Size(min = 1)
    @JsonPropertyDescription("Split to train on (a Hub split name, or the file-name prefix in a folder).")
    private String split = "train";

    @Nullable
    @Size(min = 1)
    @JsonPropertyDescription("Split to evaluate on. Leave out for none, or use evalFraction instead (not both).")
    private String evalSplit;

    @Default("0.0")
    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription("Fraction of the training split held out for evaluation, in [0, 1). 0 = none. "
            + "Not together with evalSplit.")
    private double evalFraction = 0.0;

    @Default("0")
    @Min(0)
    @JsonPropertyDescription("Use at most this many rows of the training split; 0 = all.")
    private int maxSamples = 0;

    @Default("auto")
    @JsonPropertyDescription("Row layout: auto (detect), standard (prompt/chosen/rejected strings) or "
            + "conversational (chosen/rejected message lists rendered with the chat template).")
    private DatasetFormat format = DatasetFormat.AUTO;

    @Default("fail")
    @JsonPropertyDescription("What to do with a malformed row: fail (stop, naming the file and row) or skip "
            + "(leave it out and report how many were skipped).")
    private InvalidRows invalidRows = InvalidRows.FAIL;

    public DatasetSpec() {
    }

    public DatasetSpec(String source) {
        this.source = source;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }

    public String getEvalSplit() {
        return evalSplit;
    }

    public void setEvalSplit(String evalSplit) {
        this.evalSplit = evalSplit;
    }

    public double getEvalFraction() {
        return evalFraction;
    }

    public void setEvalFraction(double evalFraction) {
        this.evalFraction = evalFraction;
    }

    public int getMaxSamples() {
        return maxSamples;
    }

    public void setMaxSamples(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    public DatasetFormat getFormat() {
        return format;
    }

    public void setFormat(DatasetFormat format) {
        this.format = format;
    }

    public InvalidRows getInvalidRows() {
        return invalidRows;
    }

    public void setInvalidRows(InvalidRows invalidRows) {
        this.invalidRows = invalidRows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetSpec other
                && Objects.equals(source, other.source)
                && Objects.equals(split, other.split)
                && Objects.equals(evalSplit, other.evalSplit)
                && Double.compare(evalFraction, other.evalFraction) == 0
                && maxSamples == other.maxSamples
                && format == other.format
                && invalidRows == other.invalidRows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, split, evalSplit, evalFraction, maxSamples, format, invalidRows);
    }

    @Override
    public String toString() {
        return "DatasetSpec{source=" + source + ", split=" + split + ", evalSplit=" + evalSplit
                + ", evalFraction=" + evalFraction + ", maxSamples=" + maxSamples + ", format=" + format
                + ", invalidRows=" + invalidRows + "}";
    }
}
