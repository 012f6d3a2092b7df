package dev.prefalign.trainer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test parser must be strict, or the /metrics tests would pass on a broken exposition. */
class PrometheusTextTest {

    private static final String SPEC_EXAMPLE = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

            # Minimalistic line:
            metric_without_timestamp_and_labels 12.47

            # A weird metric from before the epoch:
            something_weird{problem="division by zero"} +Inf -3982045

            # A histogram, which has a pretty complex representation in the text format:
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="0.1"} 33444
            http_request_duration_seconds_bucket{le="0.2"} 100392
            http_request_duration_seconds_bucket{le="0.5"} 129389
            http_request_duration_seconds_bucket{le="1"} 133988
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320

            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.01"} 3102
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            """;

    @Test
    void acceptsTheSpecificationsExample() {
        PrometheusText.Exposition e = PrometheusText.parse(SPEC_EXAMPLE);
        assertThat(e.value("http_requests_total", "method", "post", "code", "400")).isEqualTo(3);
        assertThat(e.family("http_requests_total").type).isEqualTo("counter");
        assertThat(e.family("http_requests_total").help).isEqualTo("The total number of HTTP requests.");
        assertThat(e.value("msdos_file_access_time_seconds", "path", "C:\\DIR\\FILE.TXT",
                "error", "Cannot find file:\n\"FILE.TXT\"")).isEqualTo(1.458255915e9);
        assertThat(e.value("something_weird", "problem", "division by zero")).isInfinite();
        assertThat(e.value("http_request_duration_seconds_bucket", "le", "+Inf")).isEqualTo(144320);
        assertThat(e.family("rpc_duration_seconds").samples).hasSize(4);
    }

    @Test
    void rejectsHistogramsThatDoNotAddUp() {
        String head = "# TYPE h histogram\n";
        assertThatThrownBy(() -> PrometheusText.parse(head + "h_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n"))
                .hasMessageContaining("+Inf");
        assertThatThrownBy(() -> PrometheusText.parse(
                head + "h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n"))
                .hasMessageContaining("cumulative");
        assertThatThrownBy(() -> PrometheusText.parse(
                head + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n"))
                .hasMessageContaining("_count");
        assertThatThrownBy(() -> PrometheusText.parse(head + "h_bucket{le=\"+Inf\"} 2\nh_count 2\n"))
                .hasMessageContaining("_sum");
        assertThatThrownBy(() -> PrometheusText.parse(
                head + "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n"))
                .hasMessageContaining("increasing");
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c\\t\"} 1\n")).hasMessageContaining("escape");
        assertThatThrownBy(() -> PrometheusText.parse("a{b=c} 1\n")).hasMessageContaining("quoted");
        assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c\",b=\"d\"} 1\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> PrometheusText.parse("a-b 1\n")).hasMessageContaining("metric name");
        assertThatThrownBy(() -> PrometheusText.parse("a{1b=\"c\"} 1\n")).hasMessageContaining("label name");
        assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessageContaining("value");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\na 2\n")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("a 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("# HELP a x\\y\na 1\n")).hasMessageContaining("HELP");
    }

    @Test
    void rejectsMisplacedDirectivesAndScatteredFamilies() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\n# TYPE a gauge\na 1\n"))
                .hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\n# TYPE a gauge\n")).hasMessageContaining("after");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n"))
                .hasMessageContaining("contiguous");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauges\na 1\n")).hasMessageContaining("TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE c counter\nc -1\n")).hasMessageContaining("negative");
    }
}
