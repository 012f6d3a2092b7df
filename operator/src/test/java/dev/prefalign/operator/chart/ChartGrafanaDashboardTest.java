package dev.prefalign.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's optional Grafana dashboard: off by default; on, a ConfigMap the Grafana sidecar picks up, carrying the
 * committed dashboards/prefalign.json byte for byte (Helm does not template the file, so its {{legend}} formats
 * survive). DashboardOperatorMetricsTest and the trainer's DashboardTrainerMetricsTest check its metric names.
 */
class ChartGrafanaDashboardTest {

    private static final Path DASHBOARD = RenderedChart.CHART.resolve("dashboards").resolve("prefalign.json");

    @TempDir
    Path tmp;

    @Test
    void offByDefault() {
        assertThat(RenderedChart.render(tmp, "").all(ConfigMap.class)).extracting(c -> c.getMetadata().getName())
                .doesNotContain(RenderedChart.FULLNAME + "-dashboard");
    }

    @Test
    void onItShipsTheDashboardForTheGrafanaSidecar() throws Exception {
        RenderedChart chart = RenderedChart.render(tmp, """
                grafanaDashboard:
                  enabled: true
                  namespace: monitoring
                  labels: {team: ml}
                  annotations: {grafana_folder: prefalign}
                """);
        ConfigMap map = chart.one(ConfigMap.class);
        assertThat(map.getMetadata().getName()).isEqualTo(RenderedChart.FULLNAME + "-dashboard");
        assertThat(map.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1").containsEntry("team", "ml")
                .containsEntry("app.kubernetes.io/managed-by", "Helm");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "prefalign");
        assertThat(map.getData()).containsOnlyKeys("prefalign.json");
        assertThat(map.getData().get("prefalign.json")).isEqualTo(Files.readString(DASHBOARD).strip());

        RenderedChart inRelease = RenderedChart.render(tmp, "grafanaDashboard: {enabled: true}");
        assertThat(inRelease.one(ConfigMap.class).getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    }

    /** What Grafana 10 needs to import it: a prometheus datasource variable every panel uses, and the variables. */
    @Test
    void theDashboardIsAGrafanaModelOnTheDatasourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("uid").asText()).isEqualTo("prefalign");
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.path("name").asText() + ":"
                + v.path("type").asText()));
        assertThat(variables).containsExactly("datasource:datasource", "namespace:query", "job:query");
        assertThat(dashboard.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
        List<String> offDatasource = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!panel.at("/datasource/uid").asText().equals("${datasource}") || panel.path("targets").isEmpty()) {
                offDatasource.add(panel.path("title").asText());
            }
            panel.path("targets").forEach(t -> {
                if (!t.at("/datasource/uid").asText().equals("${datasource}") || t.path("expr").asText().isBlank()) {
                    offDatasource.add(panel.path("title").asText() + "/" + t.path("refId").asText());
                }
            });
        }
        assertThat(offDatasource).as("panels and queries not on ${datasource}, or without a query").isEmpty();
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void schemaRejectsUnknownDashboardKeys() {
        assertThatThrownBy(() -> RenderedChart.render(tmp, "grafanaDashboard: {enable: true}"))
                .hasMessageContaining("enable");
    }
}
