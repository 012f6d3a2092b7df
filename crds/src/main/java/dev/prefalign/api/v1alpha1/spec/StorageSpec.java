package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** The job's volume, mounted at /workspace: download cache, checkpoints and the final model. */
// Also checked by SpecValidator, for local runs and as the operator's backstop.
@ValidationRule(value = "self.existingClaim == '' || self.storageClassName == ''", fieldPath = ".storageClassName",
        message = "storageClassName applies only to a claim the operator creates, but existingClaim is set; remove "
                + "one of them")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

    @Default("20Gi")
    @SchemaFrom(type = IntOrString.class)
    @JsonPropertyDescription("Size of the PersistentVolumeClaim the operator creates (a Kubernetes quantity). "
            + "Ignored with existingClaim.")
    private String size = "20Gi";

    // The generator reads a default as JSON where it can; a bare empty value would become null.
    @Default("\"\"")
    @Pattern(KubernetesNames.DNS_SUBDOMAIN_OR_EMPTY)
    @JsonPropertyDescription("StorageClass of the created claim; empty = the cluster's default class.")
    private String storageClassName = "";

    @Default("\"\"")
    @Pattern(KubernetesNames.DNS_SUBDOMAIN_OR_EMPTY)
    @JsonPropertyDescription("Use this existing PersistentVolumeClaim instead of creating one; empty = create one.")
    private String existingClaim = "";

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getStorageClassName() {
        return storageClassName;
    }

    public void setStorageClassName(String storageClassName) {
        this.storageClassName = storageClassName;
    }

    public String getExistingClaim() {
        return existingClaim;
    }

    public void setExistingClaim(String existingClaim) {
        this.existingClaim = existingClaim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageSpec other
                && Objects.equals(size, other.size)
                && Objects.equals(storageClassName, other.storageClassName)
                && Objects.equals(existingClaim, other.existingClaim);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, storageClassName, existingClaim);
    }

    @Override
    public String toString() {
        return "StorageSpec{size=" + size + ", storageClassName=" + storageClassName + ", existingClaim="
                + existingClaim + "}";
    }
}
