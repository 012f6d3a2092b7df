package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** When checkpoints are written, how many are kept, and where a restart resumes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointsSpec {

    @Default("100")
    @Min(1)
    @JsonPropertyDescription("Write a checkpoint every this many steps (and on SIGTERM); a crash loses at most "
            + "this many steps.")
    private int everySteps = 100;

    @Default("3")
    @Min(1)
    @JsonPropertyDescription("Newest complete checkpoints kept; older ones are deleted, the newest never.")
    private int keep = 3;

    @Default("latest")
    @JsonPropertyDescription("Where a (re)started trainer begins: latest (newest complete checkpoint, if any) or "
            + "none (initial weights).")
    private ResumePolicy resume = ResumePolicy.LATEST;

    public int getEverySteps() {
        return everySteps;
    }

    public void setEverySteps(int everySteps) {
        this.everySteps = everySteps;
    }

    public int getKeep() {
        return keep;
    }

    public void setKeep(int keep) {
        this.keep = keep;
    }

    public ResumePolicy getResume() {
        return resume;
    }

    public void setResume(ResumePolicy resume) {
        this.resume = resume;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointsSpec other
                && everySteps == other.everySteps
                && keep == other.keep
                && resume == other.resume;
    }

    @Override
    public int hashCode() {
        return Objects.hash(everySteps, keep, resume);
    }

    @Override
    public String toString() {
        return "CheckpointsSpec{everySteps=" + everySteps + ", keep=" + keep + ", resume=" + resume + "}";
    }
}
