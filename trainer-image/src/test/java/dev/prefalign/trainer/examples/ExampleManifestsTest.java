package dev.prefalign.trainer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.api.v1alpha1.spec.Method;
import dev.prefalign.api.v1alpha1.spec.ModelSpec;
import dev.prefalign.api.v1alpha1.spec.TrainingSpec;
import dev.prefalign.trainer.job.HubCachePaths;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.job.RunSummary;
import dev.prefalign.trainer.job.SourceLocations;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelConfig;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.train.ProgressReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest in {@code examples/} parses as the trainer reads it and trains for real: its sources are replaced by
 * tiny stand-ins at the places the manifest points to, only the run length is shrunk, and the run must finish with a
 * loadable model and TRL's metrics. A new example is covered as soon as it is added.
 *
 * <p>As in the cluster, each job's work dir is its own volume, {@code <pvc root>/<metadata.name>}, so a job that reads
 * {@code pvc://<other job>/output} reads the model the other example trained (that example runs first).
 */
class ExampleManifestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyExampleTrainsForTwoSteps(@TempDir Path root) throws Exception {
        List<Path> manifests = exampleManifests();
        assertThat(manifests).as("examples/*.yaml").isNotEmpty();
        Runs runs = new Runs(manifests, root);
        return manifests.stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
            Run run = runs.of(JobManifests.read(file).getMetadata().getName());
            checkFinished(run);
        }));
    }

    @Test
    void readmeListsEveryExample() throws Exception {
        String readme = Files.readString(examplesFolder().resolve("README.md"));
        for (Path manifest : exampleManifests()) {
            assertThat(readme).as("examples/README.md").contains("(" + manifest.getFileName() + ")");
        }
    }

    private static void checkFinished(Run run) throws Exception {
        PreferenceAlignmentJobSpec spec = run.job().getSpec();
        RunSummary summary = run.summary();
        assertThat(summary.steps()).isEqualTo(2);
        assertThat(summary.method()).isEqualTo(spec.getMethod().name());
        assertThat(summary.metrics().get("loss")).as("final training loss").isFinite();

        Path output = run.workDir().resolve("output");
        assertThat(Path.of(summary.outputPath())).isEqualTo(output.toAbsolutePath());
        assertThat(output.resolve("tokenizer.json")).isRegularFile();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                CausalLm trained = ModelStore.load(output, manager)) {
            assertThat(trained.config()).as("config of the exported model").isEqualTo(ModelConfig.read(run.modelDir()));
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.workDir().resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        List<JsonNode> train = lines.stream().filter(l -> l.has("loss")).toList();
        assertThat(train).extracting(l -> l.get("step").asLong()).as("a training line per step").containsExactly(1L, 2L);
        for (JsonNode line : train) {
            for (String name : trlMetricNames(spec.getMethod())) {
                assertThat(line.has(name)).as("metrics.jsonl line %s has %s", line, name).isTrue();
            }
            assertThat(line.get("loss").asDouble()).as("loss in %s", line).isFinite();
        }
        boolean hasEvalSet = spec.getDataset().getEvalSplit() != null || spec.getDataset().getEvalFraction() > 0;
        List<JsonNode> eval = lines.stream().filter(l -> l.has("eval_loss")).toList();
        if (hasEvalSet) {
            assertThat(eval).as("evaluation lines").isNotEmpty();
            assertThat(eval.get(eval.size() - 1).get("step").asLong()).as("step of the final evaluation").isEqualTo(2);
        } else {
            assertThat(eval).as("evaluation lines without an eval set").isEmpty();
        }
        for (JsonNode line : eval) {
            assertThat(line.get("eval_loss").asDouble()).isFinite();
            for (String name : trlMetricNames(spec.getMethod())) {
                assertThat(line.has("eval_" + name)).as("eval line %s has eval_%s", line, name).isTrue();
            }
        }
    }

    /** The names TRL's trainer for the method logs (besides grad_norm and learning_rate). */
    private static List<String> trlMetricNames(Method method) {
        return switch (method) {
            case DPO -> List.of("loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins",
                    "logps/chosen", "logps/rejected");
            case ORPO -> List.of("loss", "nll_loss", "log_odds_ratio", "log_odds_chosen", "logps/chosen",
                    "logps/rejected");
            case SFT -> List.of("loss");
        };
    }

    private record Run(PreferenceAlignmentJob job, Path workDir, Path modelDir, RunSummary summary) {
    }

    /** Runs each example once, on demand, so that an example that reads another one's output finds it trained. */
    private static final class Runs {
        private final Map<String, Path> manifestsByName = new LinkedHashMap<>();
        private final Map<String, Run> finished = new HashMap<>();
        private final Set<String> running = new HashSet<>();
        private final Path pvcRoot;
        /** Stands in for the manifests' folder, so that relative sources are written here and not into the repo. */
        private final Path manifestDir;

        Runs(List<Path> manifests, Path root) throws Exception {
            for (Path file : manifests) {
                Path previous = manifestsByName.put(JobManifests.read(file).getMetadata().getName(), file);
                assertThat(previous).as("another example with the name of " + file).isNull();
            }
            this.pvcRoot = root.resolve("pvc");
            this.manifestDir = root.resolve("manifests");
        }

        Run of(String name) throws Exception {
            Run done = finished.get(name);
            if (done != null) {
                return done;
            }
            assertThat(running.add(name)).as("examples that read each other's output in a cycle, at " + name).isTrue();
            try {
                Run run = train(manifestsByName.get(name));
                finished.put(name, run);
                return run;
            } finally {
                running.remove(name);
            }
        }

        private Run train(Path file) throws Exception {
            PreferenceAlignmentJob job = JobManifests.read(file);
            PreferenceAlignmentJobSpec spec = job.getSpec();
            Path workDir = pvcRoot.resolve(job.getMetadata().getName());
            Path modelDir = provideModel(spec.getModel(), workDir);
            ModelSpec reference = spec.getReferenceModel();
            if (reference != null) {
                provideModel(reference, workDir);
            }
            provideDataset(spec, workDir);
            shrink(spec.getTraining());
            RunSummary summary = JobRunner.run(job, new SourceLocations(manifestDir, workDir, pvcRoot), workDir,
                    ProgressReporter.silent());
            return new Run(job, workDir, modelDir, summary);
        }

        /** Only the run length changes; every other setting is the example's own. */
        private static void shrink(TrainingSpec training) {
            training.setMaxSteps(2);
            training.setBatchSize(2);
            training.setMaxLength(64);
            training.setMaxPromptLength(32);
            training.setLogEverySteps(1);
        }

        private Path provideModel(ModelSpec model, Path workDir) throws Exception {
            String source = model.getSource();
            String claim = claimOf(source);
            if (claim != null && manifestsByName.containsKey(claim)) {
                of(claim); // another example's volume: its run writes what this source names
                Path trained = location(source, workDir);
                assertThat(trained.resolve("config.json")).as(source + " after running the example " + claim)
                        .isRegularFile();
                return trained;
            }
            Path dir = location(source, workDir);
            if (!Files.exists(dir.resolve("config.json"))) {
                StandIns.model(dir, source);
            }
            return dir;
        }

        private void provideDataset(PreferenceAlignmentJobSpec spec, Path workDir) throws IOException {
            String source = spec.getDataset().getSource();
            Path target = location(source, workDir);
            if (source.startsWith("hf://")) {
                StandIns.hubDataset(target, source);
            } else {
                StandIns.ownJsonl(target, spec.getMethod(), spec.getDataset());
            }
        }

        /** Where the trainer looks for a source (mirrors SourceLocations, whose resolve needs the path to exist). */
        private Path location(String source, Path workDir) {
            if (source.startsWith("hf://")) {
                return HubCachePaths.snapshot(workDir.resolve("cache"), source);
            }
            if (source.startsWith("pvc://")) {
                return pvcRoot.resolve(source.substring("pvc://".length())).normalize();
            }
            return manifestDir.resolve(source).normalize();
        }

        private static String claimOf(String source) {
            if (!source.startsWith("pvc://")) {
                return null;
            }
            String rest = source.substring("pvc://".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
    }

    /** The repository's {@code examples/} folder: surefire runs in trainer-image/, but look upwards to be sure. */
    private static Path examplesFolder() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples")) && Files.isDirectory(dir.resolve("trainer-image"))) {
                return dir.resolve("examples");
            }
        }
        throw new AssertionError("no examples/ folder next to trainer-image/ above " + start);
    }

    private static List<Path> exampleManifests() throws IOException {
        try (Stream<Path> files = Files.list(examplesFolder())) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
    }
}
