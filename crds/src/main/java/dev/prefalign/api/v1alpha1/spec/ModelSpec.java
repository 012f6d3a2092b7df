package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Where a model's weights and tokenizer come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Model location: hf://<repo>[@<revision>] (Hugging Face Hub), pvc://<claim>/<path> "
            + "(a folder on a PersistentVolumeClaim) or a local folder in Hugging Face layout (config.json, "
            + "*.safetensors, tokenizer.json).")
    private String source;

    @Nullable
    @JsonPropertyDescription("Secret key holding a Hugging Face token, for gated or private repositories.")
    private SecretKeyRef tokenSecretRef;

    public ModelSpec() {
    }

    public ModelSpec(String source) {
        this.source = source;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public SecretKeyRef getTokenSecretRef() {
        return tokenSecretRef;
    }

    public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
        this.tokenSecretRef = tokenSecretRef;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other
                && Objects.equals(source, other.source)
                && Objects.equals(tokenSecretRef, other.tokenSecretRef);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, tokenSecretRef);
    }

    @Override
    public String toString() {
        return "ModelSpec{source=" + source + ", tokenSecretRef=" + tokenSecretRef + "}";
    }
}
