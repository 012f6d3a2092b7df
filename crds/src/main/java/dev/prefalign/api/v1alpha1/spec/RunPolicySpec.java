package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import java.util.Objects;

/** Lifecycle of the trainer's batch/v1 Job. Ignored when the trainer runs locally. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunPolicySpec {

    @Default("false")
    @JsonPropertyDescription("Suspend the job: its Pod is stopped (checkpointing on SIGTERM) and resumes from the "
            + "newest checkpoint when set back to false. Also how a queue such as Kueue holds it.")
    private boolean suspend = false;

    @Default("3")
    @Min(0)
    @JsonPropertyDescription("Failures of the trainer itself tolerated before the job fails; disruptions "
            + "(preemption, eviction, node loss) do not count.")
    private int backoffLimit = 3;

    @Nullable
    @Min(1)
    @JsonPropertyDescription("Fail the job after it has run this many seconds; none when left out or null.")
    private Long activeDeadlineSeconds;

    @Nullable
    @Min(0)
    @JsonPropertyDescription("Delete the finished Job and its Pods this many seconds after it ends; kept when left "
            + "out or null. The PreferenceAlignmentJob and the volume stay.")
    private Long ttlSecondsAfterFinished;

    public boolean isSuspend() {
        return suspend;
    }

    public void setSuspend(boolean suspend) {
        this.suspend = suspend;
    }

    public int getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(int backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Long getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Long ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunPolicySpec other
                && suspend == other.suspend
                && backoffLimit == other.backoffLimit
                && Objects.equals(activeDeadlineSeconds, other.activeDeadlineSeconds)
                && Objects.equals(ttlSecondsAfterFinished, other.ttlSecondsAfterFinished);
    }

    @Override
    public int hashCode() {
        return Objects.hash(suspend, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished);
    }

    @Override
    public String toString() {
        return "RunPolicySpec{suspend=" + suspend + ", backoffLimit=" + backoffLimit + ", activeDeadlineSeconds="
                + activeDeadlineSeconds + ", ttlSecondsAfterFinished=" + ttlSecondsAfterFinished + "}";
    }
}
