package dev.prefalign.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.job.JobRunner;
import dev.prefalign.trainer.train.Evaluator;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score the dataset without training (the eval split if one is set, else the whole source) and",
                "print one JSON object of metrics under TRL's names."})
final class EvaluateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ManifestOptions manifest;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Score this model folder instead of the manifest's model (the reference stays the manifest's).")
    Path model;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the metrics JSON here.")
    Path output;

    @Option(names = "--per-example", paramLabel = "FILE",
            description = "Write one JSON line per example: log-probabilities (summed over completion tokens) and loss.")
    Path perExample;

    @Override
    public Integer call() throws Exception {
        PreferenceAlignmentJob job = manifest.job();
        Evaluator.Evaluation eval = JobRunner.evaluate(job, manifest.sources(job), manifest.workDir(job), model);
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(eval.metrics());
        System.out.println(json);
        if (output != null) {
            Files.writeString(output, json);
        }
        if (perExample != null) {
            try (BufferedWriter out = Files.newBufferedWriter(perExample)) {
                for (Evaluator.ExampleScore e : eval.examples()) {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("index", e.index());
                    row.put("origin", e.origin());
                    e.columns().forEach(row::put);
                    row.put("loss", e.loss());
                    out.write(JSON.writeValueAsString(row));
                    out.newLine();
                }
            }
        }
        return ExitCodes.OK;
    }
}
