package dev.prefalign.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.job.RunSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminationMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunSummary summary(int checkpoints, int metrics) {
        Map<String, Double> train = new LinkedHashMap<>();
        Map<String, Double> eval = new LinkedHashMap<>();
        for (int i = 0; i < metrics; i++) {
            train.put("rewards/some_long_metric_name_" + i, 0.123456789 * i);
            eval.put("eval_rewards/some_long_metric_name_" + i, 0.987654321 * i);
        }
        List<RunSummary.CheckpointEntry> list = new ArrayList<>();
        for (int i = checkpoints; i > 0; i--) {
            list.add(new RunSummary.CheckpointEntry(100L * i, "/workspace/checkpoints/step-" + String.format("%07d",
                    100 * i), "2026-11-26T16:00:00Z"));
        }
        return new RunSummary("job", "DPO", RunSummary.SUCCEEDED, 1000, 1000, 3600, 512, train, eval, list,
                "/workspace/output", 0);
    }

    @Test
    void aSmallSummaryIsWrittenWhole() throws Exception {
        RunSummary s = summary(2, 3);
        assertThat(TerminationMessage.fit(s)).isEqualTo(JSON.writeValueAsString(s));
    }

    @Test
    void aLargeSummaryDropsTheLeastEssentialPartsAndStaysValidJsonUnderTheLimit() throws Exception {
        RunSummary s = summary(40, 40);
        assertThat(JSON.writeValueAsBytes(s).length).isGreaterThan(TerminationMessage.LIMIT);
        String fitted = TerminationMessage.fit(s);
        assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.LIMIT);
        JsonNode written = JSON.readTree(fitted);
        assertThat(written.get("state").asText()).isEqualTo("Succeeded");
        assertThat(written.get("outputPath").asText()).isEqualTo("/workspace/output");
        assertThat(written.get("steps").asLong()).isEqualTo(1000);
        assertThat(written.get("checkpoints")).hasSize(1);
        assertThat(written.get("checkpoints").get(0).get("step").asLong()).isEqualTo(4000);
    }
}
