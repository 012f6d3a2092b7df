package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a waiting job stands in the queue for GPUs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueStatus {

    @JsonPropertyDescription("1 = admitted next, among all jobs waiting under the operator's GPU budgets; absent "
            + "when Kueue queues the job.")
    private Integer position;

    @JsonPropertyDescription("What holds the job back: the budget that is full, or Kueue's own words.")
    private String reason;

    public QueueStatus() {
    }

    public QueueStatus(Integer position, String reason) {
        this.position = position;
        this.reason = reason;
    }

    public Integer getPosition() {
        return position;
    }

    public void setPosition(Integer position) {
        this.position = position;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueStatus other && Objects.equals(position, other.position)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, reason);
    }

    @Override
    public String toString() {
        return "QueueStatus{position=" + position + ", reason=" + reason + "}";
    }
}
