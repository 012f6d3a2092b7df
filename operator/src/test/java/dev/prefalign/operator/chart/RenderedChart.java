package dev.prefalign.operator.chart;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The objects `helm template` renders from charts/prefalign-operator for one set of values, parsed by Fabric8. */
record RenderedChart(List<HasMetadata> objects) {

    static final Path CHART = Path.of("..", "charts", "prefalign-operator");
    static final String RELEASE = "prefalign";
    static final String NAMESPACE = "prefalign-system";
    /** The full name the chart gives its objects for this release (release name plus chart name). */
    static final String FULLNAME = RELEASE + "-prefalign-operator";

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    /** Renders with the chart's defaults overridden by {@code valuesYaml} (empty: defaults only). */
    static RenderedChart render(Path tempDir, String valuesYaml) {
        try {
            Path values = Files.createTempFile(tempDir, "values", ".yaml");
            Files.writeString(values, valuesYaml);
            String yaml = new Helm(CHART).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(values)
                    .call();
            return parse(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RenderedChart parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            // A document holding only "# Source: ..." comments (a template that rendered nothing) is skipped.
            boolean empty = document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                KubernetesResource parsed = Serialization.unmarshal(document, KubernetesResource.class);
                objects.add((HasMetadata) parsed);
            }
        }
        return new RenderedChart(List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.get(0);
    }

    /** Objects of kinds Fabric8 has no model class for (the Prometheus Operator's monitors). */
    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(g -> kind.equals(g.getKind())).toList();
    }

    List<String> kinds() {
        return objects.stream().map(HasMetadata::getKind).toList();
    }
}
