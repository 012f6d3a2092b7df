package dev.prefalign.trainer.data;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which data files of a Hugging Face dataset layout belong to a split, on '/'-separated relative paths. One rule for a
 * local folder ({@link DatasetSources}) and for a Hub repository's file list (the {@code hf://} downloader), so that
 * what is downloaded for a split is exactly what is read for it.
 */
public final class SplitMatcher {

    /** Extensions {@link RawRowReader} can read. */
    public static final List<String> DATA_EXTENSIONS = List.of(".jsonl", ".json", ".parquet");

    /** JSON files the {@code datasets} library writes next to the data; never rows. */
    private static final Set<String> METADATA_FILES =
            Set.of("dataset_info.json", "dataset_infos.json", "dataset_dict.json", "state.json");

    /** Where a split's name ends inside a file name: {@code train-0000}, {@code train.jsonl}, {@code train_0.json}. */
    private static final Pattern SPLIT_NAME_END = Pattern.compile("[-.]|_(?=\\d)");

    private SplitMatcher() {
    }

    /** A readable data file: a data extension, not the datasets library's metadata, not under a hidden folder. */
    public static boolean isDataFile(String relativePath) {
        String fileName = fileName(relativePath);
        return hasDataExtension(fileName) && !METADATA_FILES.contains(fileName) && !isHidden(relativePath);
    }

    public static boolean hasDataExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return DATA_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** True when the file's name starts with the split's name, or it lies in a folder named after the split. */
    public static boolean belongsToSplit(String relativePath, String split) {
        String fileName = fileName(relativePath);
        if (fileName.startsWith(split) && fileName.length() > split.length()) {
            // Only a separator may follow the name, so that 'train' does not take 'train_prefs' files.
            String rest = fileName.substring(split.length());
            if (SPLIT_NAME_END.matcher(rest).lookingAt()) {
                return true;
            }
        }
        String[] parts = relativePath.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals(split)) {
                return true;
            }
        }
        return false;
    }

    /** The split a file seems to belong to, for an error message's list (a folder named {@code data} is no split). */
    public static String splitNameOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        if (slash > 0) {
            String parent = fileName(relativePath.substring(0, slash));
            if (!parent.equals("data")) {
                return parent;
            }
        }
        String fileName = fileName(relativePath);
        var end = SPLIT_NAME_END.matcher(fileName);
        return end.find() && end.start() > 0 ? fileName.substring(0, end.start()) : fileName;
    }

    /** The splits the data files seem to hold, sorted. */
    public static Set<String> splitsOf(Collection<String> dataFiles) {
        return dataFiles.stream().map(SplitMatcher::splitNameOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The part of a "no files for this split" message that helps: the splits found, some of the files, and the naming
     * rule. {@code dataFiles} must not be empty.
     */
    public static String missingSplitAdvice(String split, List<String> dataFiles) {
        String examples = dataFiles.stream().limit(5).collect(Collectors.joining(", "));
        return "Splits found: " + String.join(", ", splitsOf(dataFiles)) + " (files: " + examples
                + (dataFiles.size() > 5 ? ", ..." : "") + "). A split's files are named '" + split + "-*', '" + split
                + ".*' or '" + split + "_<digit>*', or lie in a folder named '" + split + "': set dataset.split to one"
                + " of the splits found.";
    }

    private static boolean isHidden(String relativePath) {
        for (String part : relativePath.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String fileName(String relativePath) {
        return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }
}
