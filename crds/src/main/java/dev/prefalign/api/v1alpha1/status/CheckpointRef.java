package dev.prefalign.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A complete checkpoint on the job's volume. A bean rather than a record so Fabric8 binds it like the rest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointRef {

    @JsonPropertyDescription("Optimiser step the checkpoint was taken after.")
    private long step;

    @JsonPropertyDescription("Folder of the checkpoint on the job's volume.")
    private String path;

    @JsonPropertyDescription("When it was completed (RFC 3339).")
    private String time;

    public CheckpointRef() {
    }

    public CheckpointRef(long step, String path, String time) {
        this.step = step;
        this.path = path;
        this.time = time;
    }

    public long getStep() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointRef other
                && step == other.step
                && Objects.equals(path, other.path)
                && Objects.equals(time, other.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, path, time);
    }

    @Override
    public String toString() {
        return "CheckpointRef{step=" + step + ", path=" + path + ", time=" + time + "}";
    }
}
