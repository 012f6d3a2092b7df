package dev.prefalign.trainer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.job.RunSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The summary as Kubernetes' termination message, which is cut at 4,096 bytes: when the full summary is larger, the
 * least essential parts go first (older checkpoints, then eval metrics, then train metrics), so it stays valid JSON.
 */
final class TerminationMessage {
    static final int LIMIT = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TerminationMessage() {
    }

    static String fit(RunSummary s) throws JsonProcessingException {
        RunSummary[] candidates = {
            s,
            with(s, s.metrics(), s.evalMetrics(), s.checkpoints().stream().limit(1).toList()),
            with(s, s.metrics(), Map.of(), s.checkpoints().stream().limit(1).toList()),
            with(s, Map.of(), Map.of(), s.checkpoints().stream().limit(1).toList()),
        };
        for (RunSummary c : candidates) {
            String json = JSON.writeValueAsString(c);
            if (json.getBytes(StandardCharsets.UTF_8).length <= LIMIT) {
                return json;
            }
        }
        return JSON.writeValueAsString(with(s, Map.of(), Map.of(), List.of()));
    }

    private static RunSummary with(RunSummary s, Map<String, Double> metrics, Map<String, Double> eval,
            List<RunSummary.CheckpointEntry> checkpoints) {
        return new RunSummary(s.name(), s.method(), s.state(), s.steps(), s.totalSteps(), s.seconds(),
                s.tokensPerSecond(), metrics, eval, checkpoints, s.outputPath(), s.skippedSteps());
    }
}
