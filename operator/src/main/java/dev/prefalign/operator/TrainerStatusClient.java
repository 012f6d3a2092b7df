package dev.prefalign.operator;

import dev.prefalign.operator.metrics.OperatorMetrics;
import dev.prefalign.operator.status.TrainerJson;
import dev.prefalign.operator.status.TrainerJson.TrainerReport;
import dev.prefalign.operator.status.TrainerPods;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Reads a running trainer's /status over the Pod network. A trainer that does not answer is no error: it may load. */
@ApplicationScoped
public class TrainerStatusClient {

    private static final Logger LOG = Logger.getLogger(TrainerStatusClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final OperatorMetrics metrics;

    public TrainerStatusClient(OperatorMetrics metrics) {
        this.metrics = metrics;
    }

    public Optional<TrainerReport> read(Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip; // IPv6 Pod addresses
        URI uri = URI.create("http://" + host + ":" + TrainerPods.statusPort(pod) + "/status");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.debugf("%s answered %d", uri, response.statusCode());
                metrics.statusObservationFailed();
                return Optional.empty();
            }
            Optional<TrainerReport> report = TrainerJson.report(response.body());
            if (report.isEmpty()) {
                metrics.statusObservationFailed();
            }
            return report;
        } catch (IOException e) {
            LOG.debugf("cannot read %s: %s", uri, e);
            metrics.statusObservationFailed();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
