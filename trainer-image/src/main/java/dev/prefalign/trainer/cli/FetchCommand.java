package dev.prefalign.trainer.cli;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJobSpec;
import dev.prefalign.trainer.hub.FetchResult;
import dev.prefalign.trainer.hub.HubException;
import dev.prefalign.trainer.job.SourceLocations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download the manifest's hf:// model, reference model and dataset splits (split and evalSplit)",
                "into <work-dir>/cache: pinned to one commit, verified against the Hub's hashes, resumable.",
                "Later run and evaluate commands read them without any network request.",
                "Environment: HF_TOKEN (gated or private repositories), HF_ENDPOINT (a mirror), HF_HUB_OFFLINE."})
final class FetchCommand implements Callable<Integer> {

    @Mixin
    ManifestOptions manifest;

    /** One source of the manifest and the splits to fetch for it. */
    private record Wanted(String field, String source, List<String> splits) {
    }

    @Override
    public Integer call() throws Exception {
        PreferenceAlignmentJob job = manifest.job();
        SourceLocations sources = manifest.sources(job);
        for (Wanted wanted : wanted(job.getSpec())) {
            if (!wanted.source().startsWith("hf://")) {
                Path local = sources.resolve(wanted.source(), wanted.field());
                System.out.println(wanted.field() + ": " + wanted.source() + " is not on the Hub (" + local
                        + "); nothing to fetch");
                continue;
            }
            FetchResult result;
            try {
                result = sources.fetch(wanted.source(), wanted.field(), wanted.splits());
            } catch (HubException e) {
                // The Hub or the network failed: worth a retry, so exit 1, but with one line rather than a stack trace.
                System.err.println("error: " + wanted.field() + ": " + e.getMessage());
                return ExitCodes.CRASHED;
            }
            System.out.println(wanted.field() + ": " + result.summary());
            result.notes().forEach(note -> System.out.println("  note: " + note));
        }
        return ExitCodes.OK;
    }

    private static List<Wanted> wanted(PreferenceAlignmentJobSpec spec) {
        List<Wanted> out = new ArrayList<>();
        if (spec.getModel() != null && spec.getModel().getSource() != null) {
            out.add(new Wanted("spec.model.source", spec.getModel().getSource(), List.of()));
        }
        if (spec.getReferenceModel() != null && spec.getReferenceModel().getSource() != null) {
            out.add(new Wanted("spec.referenceModel.source", spec.getReferenceModel().getSource(), List.of()));
        }
        if (spec.getDataset() != null && spec.getDataset().getSource() != null) {
            out.add(new Wanted("spec.dataset.source", spec.getDataset().getSource(),
                    SourceLocations.splitsOf(spec.getDataset())));
        }
        return out;
    }
}
