package dev.prefalign.trainer.status;

import org.junit.jupiter.api.Test;

class ScrapeTimingScratchTest {
    @Test
    void time() throws Exception {
        TrainingStatus status = new TrainingStatus();
        try (StatusServer server = StatusServer.start(0, status)) {
            for (String path : new String[] {"/healthz", "/status", "/metrics", "/healthz", "/status", "/metrics"}) {
                long t = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    Http.get(server.port(), path);
                }
                System.out.println("TIMING " + path + " " + (System.nanoTime() - t) / 100 / 1000 + " us");
            }
            long t = System.nanoTime();
            String body = Http.get(server.port(), "/status").body();
            for (int i = 0; i < 100; i++) {
                StatusSchema.violations(body);
            }
            System.out.println("TIMING schema " + (System.nanoTime() - t) / 100 / 1000 + " us");
            body = Http.get(server.port(), "/metrics").body();
            t = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                PrometheusText.parse(body);
            }
            System.out.println("TIMING parse " + (System.nanoTime() - t) / 100 / 1000 + " us");
            var reg = new io.prometheus.metrics.model.registry.PrometheusRegistry();
            io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(reg);
            t = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                reg.scrape();
            }
            System.out.println("TIMING jvmscrape " + (System.nanoTime() - t) / 100 / 1000 + " us");
        }
    }
}
