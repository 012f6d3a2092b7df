package dev.prefalign.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathsTest {

    @Test
    void buildsAndTakesApartPaths() {
        String tolerations = FieldPaths.child(FieldPaths.child("spec", "resources"), "tolerations");
        String key = FieldPaths.child(FieldPaths.element(tolerations, 2), "key");
        String label = FieldPaths.child("spec.resources.nodeSelector", "kubernetes.io/arch");

        assertThat(FieldPaths.child("", "spec")).isEqualTo("spec");
        assertThat(key).isEqualTo("spec.resources.tolerations[2].key");
        assertThat(label).isEqualTo("spec.resources.nodeSelector[\"kubernetes.io/arch\"]");
        assertThat(FieldPaths.parent(key)).isEqualTo("spec.resources.tolerations[2]");
        assertThat(FieldPaths.parent("spec.resources.tolerations[2]")).isEqualTo(tolerations);
        assertThat(FieldPaths.parent(label)).isEqualTo("spec.resources.nodeSelector");
        assertThat(FieldPaths.parent("spec")).isEmpty();
    }
}
