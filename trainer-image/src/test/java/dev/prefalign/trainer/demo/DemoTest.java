package dev.prefalign.trainer.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prefalign.trainer.testkit.MarkdownTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline demo end to end: it must show real learning, not a fixture. */
class DemoTest {

    @Test
    void dpoAndOrpoTeachThePoliteReplyOnUnseenRequests(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<DemoRunner.MethodResult> results =
                new DemoRunner(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8), false).run();
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(results).extracting(DemoRunner.MethodResult::method).containsExactly("DPO", "ORPO");
        for (DemoRunner.MethodResult r : results) {
            // The SFT model saw rude replies half of the time; alignment must move held-out behaviour clearly.
            assertThat(r.before().politeRate()).isLessThan(0.6);
            assertThat(r.after().politeRate()).as(r.method() + " polite greedy replies").isGreaterThanOrEqualTo(0.8);
            assertThat(r.after().preferenceAccuracy()).isGreaterThan(r.before().preferenceAccuracy());
            assertThat(r.after().preferenceAccuracy()).isGreaterThanOrEqualTo(0.9);
            assertThat(r.after().logpMargin()).isGreaterThan(r.before().logpMargin() + 1.0);
            assertThat(r.eval().get("eval_rewards/accuracies")).isGreaterThanOrEqualTo(0.9);
            assertThat(r.seconds()).isPositive();
        }
        assertThat(printed).contains("| DPO |").contains("| ORPO |").contains("polite greedy replies");
        assertThat(dir.resolve("manifests/dpo.yaml")).exists();
        assertThat(dir.resolve("runs/demo-dpo/output/model.safetensors")).exists();

        // The same comparison as an experiment report, from the same numbers.
        String report = Files.readString(dir.resolve("report/report.md"));
        List<Map<String, String>> ranking = MarkdownTables.after(report, "## Ranking");
        assertThat(ranking).extracting(r -> r.get("run")).containsExactlyInAnyOrder("starting model", "demo-dpo",
                "demo-orpo");
        for (DemoRunner.MethodResult r : results) {
            Map<String, String> row = ranking.stream().filter(x -> x.get("method").equals(r.method())).findFirst()
                    .orElseThrow();
            assertThat(Double.parseDouble(row.get("politeness"))).isCloseTo(r.after().politeRate(), within(5e-5));
            assertThat(Double.parseDouble(row.get("pref. accuracy")))
                    .isCloseTo(r.after().preferenceAccuracy(), within(5e-5));
            assertThat(Double.parseDouble(row.get("win rate vs start"))).isGreaterThan(0.5);
        }
        assertThat(dir.resolve("report/training-loss.png")).exists();
        assertThat(dir.resolve("report/evaluation.png")).exists();
        assertThat(printed).contains("Report with charts: " + dir.resolve("report/report.md"));
    }
}
