package dev.prefalign.trainer.cli;

import dev.prefalign.api.manifest.JobManifests;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.job.SourceLocations;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every job command shares: the manifest and the work dir. */
final class ManifestOptions {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "job.yaml",
            description = "The PreferenceAlignmentJob manifest.")
    Path manifest;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where checkpoints, metrics and the output model go (default ./prefalign-work/<name>).")
    Path workDir;

    PreferenceAlignmentJob job() throws JobException {
        try {
            return JobManifests.read(manifest);
        } catch (ManifestException e) {
            throw new JobException(e.getMessage(), e);
        }
    }

    Path workDir(PreferenceAlignmentJob job) {
        return (workDir != null ? workDir : Path.of("prefalign-work", job.getMetadata().getName()))
                .toAbsolutePath().normalize();
    }

    SourceLocations sources(PreferenceAlignmentJob job) {
        Path dir = manifest.toAbsolutePath().getParent();
        return SourceLocations.of(dir, workDir(job));
    }
}
