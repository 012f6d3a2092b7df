package dev.prefalign.trainer.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which files of a model repository the trainer needs: configuration, tokenizer, chat template and safetensors
 * weights at the top level, nothing else. PyTorch {@code .bin}, ONNX, GGUF and other formats are never downloaded, and
 * a sharded checkpoint brings only the shards its index names (some repositories also hold a consolidated copy).
 */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String SINGLE_WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";

    /** Read by the trainer (and copied to its output) when present, in this order. */
    static final List<String> SMALL_FILES = List.of(CONFIG, "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "chat_template.json",
            "added_tokens.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {
    }

    /**
     * The files to fetch before the weights' shards are known: the small files present, plus {@code model.safetensors}
     * or the index (a single file wins, as in transformers).
     */
    static List<String> initial(HubSource source, List<String> repoFiles) throws HubException {
        Set<String> top = repoFiles.stream().filter(f -> !f.contains("/")).collect(Collectors.toSet());
        if (!top.contains(CONFIG)) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPOSITORY, source + ": the repository has no "
                    + CONFIG + " at its top level, so it is not a transformers model (files: " + listed(repoFiles)
                    + "). Check the repository name, or that it is not a dataset (hf://datasets/...).");
        }
        List<String> out = new ArrayList<>(SMALL_FILES.stream().filter(top::contains).toList());
        if (top.contains(SINGLE_WEIGHTS)) {
            out.add(SINGLE_WEIGHTS);
        } else if (top.contains(WEIGHTS_INDEX)) {
            out.add(WEIGHTS_INDEX);
        } else {
            boolean pytorchBin = top.stream().anyMatch(f -> f.endsWith(".bin") || f.endsWith(".pt")
                    || f.endsWith(".pth"));
            throw new HubException(HubException.Kind.UNSUPPORTED_REPOSITORY, source + ": the repository has neither "
                    + SINGLE_WEIGHTS + " nor " + WEIGHTS_INDEX + "; this trainer reads safetensors weights only"
                    + (pytorchBin ? ". It has PyTorch weights (.bin/.pt): use a revision with safetensors (the Hub's "
                            + "conversion bot opens them as refs/pr/<n>, usable as @refs/pr/<n>), or convert them with"
                            + " save_pretrained(safe_serialization=True)" : "")
                    + " (files: " + listed(repoFiles) + ").");
        }
        return out;
    }

    /** The shard files a downloaded index names; each must be a top-level file of the repository. */
    static List<String> shards(HubSource source, Path indexFile, List<String> repoFiles) throws HubException {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(indexFile.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPOSITORY, source + ": " + WEIGHTS_INDEX
                    + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPOSITORY, source + ": " + WEIGHTS_INDEX
                    + " has no \"weight_map\" of tensor names to shard files");
        }
        Set<String> shards = new TreeSet<>();
        weightMap.forEach(file -> shards.add(file.asText("")));
        Set<String> present = Set.copyOf(repoFiles);
        for (String shard : shards) {
            if (shard.isEmpty() || shard.contains("/") || !shard.endsWith(".safetensors") || !present.contains(shard)) {
                throw new HubException(HubException.Kind.UNSUPPORTED_REPOSITORY, source + ": " + WEIGHTS_INDEX
                        + " names the shard '" + shard + "', which is not a .safetensors file at the top level of the "
                        + "repository; the checkpoint is incomplete at this revision");
            }
        }
        return List.copyOf(shards);
    }

    static String listed(List<String> files) {
        return files.isEmpty() ? "none"
                : files.stream().limit(12).collect(Collectors.joining(", ")) + (files.size() > 12 ? ", ..." : "");
    }
}
