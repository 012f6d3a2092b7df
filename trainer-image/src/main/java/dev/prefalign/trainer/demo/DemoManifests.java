package dev.prefalign.trainer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's three jobs as ordinary manifests written next to its data, so that a user can read them, change them and
 * rerun any stage with {@code run -f}. Paths are relative to the manifests' folder.
 */
final class DemoManifests {
    static final String SFT = "sft.yaml";
    static final String DPO = "dpo.yaml";
    static final String ORPO = "orpo.yaml";

    private DemoManifests() {
    }

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SFT), """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: demo-sft
                spec:
                  method: SFT
                  model:
                    source: ../base
                  dataset:
                    source: ../data/sft
                  training:
                    learningRate: 3.0e-3
                    epochs: 2
                    batchSize: 16
                    maxLength: 64
                    maxPromptLength: 32
                    lrScheduler: cosine
                    warmupRatio: 0.05
                    logEverySteps: 10
                """);
        Files.writeString(dir.resolve(DPO), preference("demo-dpo", "DPO", """
                  dpo:
                    beta: 0.1
                    lossType: sigmoid
                """));
        Files.writeString(dir.resolve(ORPO), preference("demo-orpo", "ORPO", """
                  orpo:
                    lambda: 0.5
                """));
    }

    private static String preference(String name, String method, String section) {
        return """
                apiVersion: prefalign.dev/v1alpha1
                kind: PreferenceAlignmentJob
                metadata:
                  name: %s
                spec:
                  method: %s
                  model:
                    source: ../runs/demo-sft/output
                  dataset:
                    source: ../data/prefs
                    split: train
                    evalSplit: test
                %s  training:
                    learningRate: 1.0e-3
                    epochs: 2
                    batchSize: 16
                    maxLength: 64
                    maxPromptLength: 32
                    lrScheduler: cosine
                    warmupRatio: 0.1
                    logEverySteps: 5
                    evalEverySteps: 10
                """.formatted(name, method, section);
    }
}
