package dev.prefalign.trainer.hub;

import dev.prefalign.trainer.data.SplitMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which files of a dataset repository hold the requested splits, by the same rules the trainer reads a local folder
 * with ({@link SplitMatcher}). Where a split has Parquet files, its JSON files are left out: repositories that carry
 * both hold the same rows twice.
 */
final class DatasetFiles {
    private DatasetFiles() {
    }

    /** The repository's data files, sorted (the order the trainer reads them in). */
    static List<String> dataFiles(List<String> repoFiles) {
        return repoFiles.stream().filter(SplitMatcher::isDataFile).sorted().toList();
    }

    /**
     * Files per requested split, in request order; a split without files maps to an empty list (the caller falls
     * back to the Parquet conversion).
     */
    static Map<String, List<String>> bySplit(List<String> repoFiles, List<String> splits) {
        List<String> data = dataFiles(repoFiles);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String split : splits) {
            out.put(split, preferParquet(data.stream().filter(f -> SplitMatcher.belongsToSplit(f, split)).toList()));
        }
        return out;
    }

    /** Every data file, split by split as {@link SplitMatcher#splitNameOf} sees them, Parquet preferred per split. */
    static List<String> all(List<String> repoFiles) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String file : dataFiles(repoFiles)) {
            groups.computeIfAbsent(SplitMatcher.splitNameOf(file), k -> new ArrayList<>()).add(file);
        }
        List<String> out = new ArrayList<>();
        groups.values().forEach(files -> out.addAll(preferParquet(files)));
        return out.stream().sorted().toList();
    }

    private static List<String> preferParquet(List<String> files) {
        List<String> parquet = files.stream().filter(f -> f.toLowerCase(Locale.ROOT).endsWith(".parquet")).toList();
        return parquet.isEmpty() ? files : parquet;
    }

    /** The message for a split found neither in the repository nor in the Hub's Parquet conversion. */
    static String noSuchSplit(HubSource source, String split, String config, List<String> repoFiles) {
        List<String> data = dataFiles(repoFiles);
        String found;
        if (data.isEmpty()) {
            boolean script = repoFiles.stream().anyMatch(f -> !f.contains("/") && f.endsWith(".py"));
            found = "The repository has no .parquet, .jsonl or .json files"
                    + (script ? " (it is built by a loading script, which this trainer does not run)" : "")
                    + " (files: " + ModelFiles.listed(repoFiles) + ").";
        } else {
            found = SplitMatcher.missingSplitAdvice(split, data);
        }
        return source + ": no files for split '" + split + "'. " + found + " The Hub's Parquet conversion has no "
                + "split '" + split + "' in config '" + config + "' either.";
    }
}
