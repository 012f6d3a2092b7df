package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the trainer Pod requests and where it may be scheduled. Ignored when the trainer runs locally. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

    @Default("1")
    @Min(0)
    @JsonPropertyDescription("GPUs requested (as gpuResourceName); 0 = train on CPUs.")
    private int gpus = 1;

    @Default("nvidia.com/gpu")
    @Pattern(KubernetesNames.QUALIFIED_NAME)
    @JsonPropertyDescription("Extended resource name under which the GPUs are requested, e.g. nvidia.com/gpu or "
            + "amd.com/gpu.")
    private String gpuResourceName = "nvidia.com/gpu";

    @Default("4")
    @SchemaFrom(type = IntOrString.class)
    @JsonPropertyDescription("CPU request and limit of the trainer (a Kubernetes quantity, e.g. 4 or 3500m).")
    private String cpu = "4";

    @Default("32Gi")
    @SchemaFrom(type = IntOrString.class)
    @JsonPropertyDescription("Memory request and limit of the trainer (a Kubernetes quantity, e.g. 32Gi).")
    private String memory = "32Gi";

    @Default("{}")
    @JsonPropertyDescription("Node labels the trainer Pod must match (Pod spec.nodeSelector).")
    private Map<String, String> nodeSelector = new LinkedHashMap<>();

    @Default("[]")
    @JsonPropertyDescription("Taints the trainer Pod tolerates (Pod spec.tolerations).")
    private List<Toleration> tolerations = new ArrayList<>();

    @Nullable
    @JsonPropertyDescription("Scheduling constraints of the trainer Pod (Pod spec.affinity); none when left out.")
    private Affinity affinity;

    // The generator reads a default as JSON where it can; a bare empty value would become null.
    @Default("\"\"")
    @Pattern(KubernetesNames.DNS_SUBDOMAIN_OR_EMPTY)
    @JsonPropertyDescription("PriorityClass of the trainer Pod; empty = the cluster's default priority.")
    private String priorityClassName = "";

    public int getGpus() {
        return gpus;
    }

    public void setGpus(int gpus) {
        this.gpus = gpus;
    }

    public String getGpuResourceName() {
        return gpuResourceName;
    }

    public void setGpuResourceName(String gpuResourceName) {
        this.gpuResourceName = gpuResourceName;
    }

    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcesSpec other
                && gpus == other.gpus
                && Objects.equals(gpuResourceName, other.gpuResourceName)
                && Objects.equals(cpu, other.cpu)
                && Objects.equals(memory, other.memory)
                && Objects.equals(nodeSelector, other.nodeSelector)
                && Objects.equals(tolerations, other.tolerations)
                && Objects.equals(affinity, other.affinity)
                && Objects.equals(priorityClassName, other.priorityClassName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gpus, gpuResourceName, cpu, memory, nodeSelector, tolerations, affinity,
                priorityClassName);
    }

    @Override
    public String toString() {
        return "ResourcesSpec{gpus=" + gpus + ", gpuResourceName=" + gpuResourceName + ", cpu=" + cpu
                + ", memory=" + memory + ", nodeSelector=" + nodeSelector + ", tolerations=" + tolerations
                + ", affinity=" + affinity + ", priorityClassName=" + priorityClassName + "}";
    }
}
