package dev.prefalign.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.cli.ExitCodes;
import dev.prefalign.trainer.cli.TrainerCli;
import dev.prefalign.trainer.testkit.TinyJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real trainer process (SIGKILL, and SIGTERM for a graceful stop) at several points, resumes it, and checks
 * that it ends with bit-identical weights and the same metric log as a run that was never interrupted.
 */
class KillAndResumeTest {
    private static final int STEPS = 150;
    @TempDir
    static Path tmp;
    static Path manifest;
    static Map<String, float[]> expectedWeights;
    static List<JsonNode> expectedMetrics;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        TinyJob.model(tmp.resolve("model"), 11);
        TinyJob.writePairs(tmp.resolve("data/prefs.jsonl"), TinyJob.pairs(3 * STEPS, 5).stream()
                .filter(p -> !p.chosen().equals(p.rejected())).toList());
        manifest = TinyJob.manifest(tmp.resolve("job.yaml"), "resume-me", "DPO", "model", "data/prefs.jsonl",
                "dpo:\n  beta: 0.5\ncheckpoints:\n  everySteps: 3\n  keep: 2\n",
                "learningRate: 5.0e-3\nbatchSize: 2\nepochs: 1\nmaxSteps: " + STEPS + "\nlogEverySteps: 2\n"
                        + "warmupRatio: 0.2\nshuffle: true\nseed: 9\n");
        Path work = tmp.resolve("uninterrupted");
        Process p = start(work);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log(work)).isZero();
        assertThat(skippedSteps(work)).as("steps skipped for non-finite gradients").isZero();
        expectedWeights = TinyJob.weights(work.resolve("output"));
        expectedMetrics = TinyJob.jsonLines(work.resolve("metrics.jsonl"));
        assertThat(expectedMetrics).isNotEmpty();
    }

    private static int skippedSteps(Path work) {
        try {
            return new ObjectMapper().readTree(work.resolve("summary.json").toFile()).get("skippedSteps").asInt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sigkillAtSeveralPointsThenResumeEndsExactlyAsAnUninterruptedRun() throws Exception {
        for (int killAfterCheckpoint : new int[] {0, 15, 75}) {
            Path work = tmp.resolve("killed-after-" + killAfterCheckpoint);
            killAndResume(work, killAfterCheckpoint);
            assertSameRun(work);
        }
    }

    private static void killAndResume(Path work, int killAfterCheckpoint) throws Exception {
        Process p = start(work);
        if (killAfterCheckpoint == 0) {
            waitFor(work.resolve("metrics.jsonl"), p); // before any checkpoint exists
        } else {
            waitFor(work.resolve("checkpoints").resolve(CheckpointStore.folderName(killAfterCheckpoint)), p);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed with SIGKILL, not finished").isNotZero();

        resumeToTheEnd(work);
    }

    @Test
    void sigtermCheckpointsExitsWithInterruptedAndResumesLosingNoStep() throws Exception {
        Path work = tmp.resolve("sigterm");
        Process p = start(work);
        waitFor(work.resolve("checkpoints").resolve(CheckpointStore.folderName(30)), p);
        p.destroy(); // SIGTERM, as Kubernetes sends on preemption
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log(work)).isEqualTo(ExitCodes.INTERRUPTED);
        JsonNode summary = TinyJob.jsonLines(work.resolve("summary-file.json")).get(0);
        assertThat(summary.get("state").asText()).isEqualTo("Interrupted");
        long stoppedAt = summary.get("steps").asLong();
        // The checkpoint written on SIGTERM is the step it stopped at: no step is lost.
        assertThat(work.resolve("checkpoints").resolve(CheckpointStore.folderName(stoppedAt))).isDirectory();
        resumeToTheEnd(work);
        assertSameRun(work);
    }

    private static void assertSameRun(Path work) {
        Map<String, float[]> weights = TinyJob.weights(work.resolve("output"));
        assertThat(weights.keySet()).containsExactlyElementsOf(expectedWeights.keySet());
        expectedWeights.forEach((name, values) -> assertThat(weights.get(name)).as(work + " " + name)
                .containsExactly(values));
        List<JsonNode> metrics = TinyJob.jsonLines(work.resolve("metrics.jsonl"));
        assertThat(withoutThroughput(metrics)).as(work + " metrics.jsonl").isEqualTo(withoutThroughput(expectedMetrics));
    }

    private static List<JsonNode> withoutThroughput(List<JsonNode> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : lines) {
            ObjectNode copy = l.deepCopy();
            copy.remove("tokens_per_second");
            out.add(copy);
        }
        return out;
    }

    private static void resumeToTheEnd(Path work) throws Exception {
        Process p = start(work);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log(work)).isEqualTo(ExitCodes.OK);
    }

    /**
     * Every run is a real trainer process with one compute thread: with several, a loaded machine can change how
     * OpenMP splits reductions, and float sums in another order differ in the last bits. Resume itself must be exact.
     */
    private static Process start(Path work) throws IOException {
        Files.createDirectories(work);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dai.djl.pytorch.num_threads=1", "-cp",
                System.getProperty("java.class.path"), TrainerCli.class.getName(),
                "run", "--status-port", "0", "-f", manifest.toString(), "--work-dir", work.toString(),
                "--summary-file", work.resolve("summary-file.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("trainer.log").toFile()));
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static void waitFor(Path path, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(path)) {
            assertThat(p.isAlive()).as("trainer exited before " + path + " appeared").isTrue();
            assertThat(System.nanoTime()).as("waiting for " + path).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private static String log(Path work) {
        try {
            return Files.readString(work.resolve("trainer.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
