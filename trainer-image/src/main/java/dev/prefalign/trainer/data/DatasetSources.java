package dev.prefalign.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the data files of a split: the file itself, or the files of a folder laid out like a Hugging Face dataset
 * snapshot ({@code data/train-00000-of-00002.parquet}, {@code train.jsonl}, {@code test/part-0.jsonl}, ...).
 */
public final class DatasetSources {

    /** Extensions {@link RawRowReader} can read. */
    static final List<String> DATA_EXTENSIONS = List.of(".jsonl", ".json", ".parquet");

    /** JSON files the {@code datasets} library writes next to the data; never rows. */
    private static final Set<String> METADATA_FILES =
            Set.of("dataset_info.json", "dataset_infos.json", "dataset_dict.json", "state.json");

    /** Where a split's name ends inside a file name: {@code train-0000}, {@code train.jsonl}, {@code train_0.json}. */
    private static final Pattern SPLIT_NAME_END = Pattern.compile("[-.]|_(?=\\d)");

    private DatasetSources() {
    }

    /**
     * The files to read for {@code split}, sorted by their path relative to {@code source} so the order is the same on
     * every machine. A single file is returned as it is, whatever the split.
     */
    public static List<Path> resolve(Path source, String split) throws DatasetException {
        if (Files.isRegularFile(source)) {
            requireDataExtension(source);
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new DatasetException("Dataset source " + source + " does not exist: give a .jsonl, .json or .parquet"
                    + " file, or a folder that holds such files.");
        }
        if (split == null || split.isBlank()) {
            throw new DatasetException("Dataset source " + source + " is a folder: name the split to read"
                    + " (dataset.split, for example 'train').");
        }
        List<Path> dataFiles = dataFiles(source);
        List<Path> selected = dataFiles.stream().filter(file -> belongsToSplit(source.relativize(file), split)).toList();
        if (selected.isEmpty()) {
            throw new DatasetException(noSuchSplitMessage(source, split, dataFiles));
        }
        return selected;
    }

    /** True when the file's name starts with the split's name, or it lies in a folder named after the split. */
    static boolean belongsToSplit(Path relativePath, String split) {
        String fileName = relativePath.getFileName().toString();
        if (fileName.startsWith(split) && fileName.length() > split.length()) {
            // Only a separator may follow the name, so that 'train' does not take 'train_prefs' files.
            String rest = fileName.substring(split.length());
            if (SPLIT_NAME_END.matcher(rest).lookingAt()) {
                return true;
            }
        }
        for (int i = 0; i < relativePath.getNameCount() - 1; i++) {
            if (relativePath.getName(i).toString().equals(split)) {
                return true;
            }
        }
        return false;
    }

    /** The split a file seems to belong to, for the list in an error message (a folder named {@code data} is no split). */
    static String splitNameOf(Path relativePath) {
        Path parent = relativePath.getParent();
        if (parent != null && !parent.getFileName().toString().equals("data")) {
            return parent.getFileName().toString();
        }
        String fileName = relativePath.getFileName().toString();
        var end = SPLIT_NAME_END.matcher(fileName);
        return end.find() && end.start() > 0 ? fileName.substring(0, end.start()) : fileName;
    }

    private static List<Path> dataFiles(Path folder) throws DatasetException {
        // Hugging Face cache snapshots are made of symbolic links into a blob store: follow them.
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = new ArrayList<>();
            walk.filter(Files::isRegularFile)
                    .filter(file -> !isHidden(folder.relativize(file)))
                    .filter(file -> hasDataExtension(file) && !METADATA_FILES.contains(fileName(file)))
                    .forEach(files::add);
            files.sort((a, b) -> slashed(folder.relativize(a)).compareTo(slashed(folder.relativize(b))));
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("Cannot list the dataset folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String noSuchSplitMessage(Path source, String split, List<Path> dataFiles) throws DatasetException {
        if (dataFiles.isEmpty()) {
            String hint = containsArrowFiles(source)
                    ? " It holds .arrow files (Dataset.save_to_disk), which are not supported: export the dataset with"
                            + " to_parquet or to_json(lines=True)."
                    : "";
            return "Dataset folder " + source + " holds no .jsonl, .json or .parquet file." + hint;
        }
        Set<String> splits = new TreeSet<>();
        dataFiles.forEach(file -> splits.add(splitNameOf(source.relativize(file))));
        String examples = dataFiles.stream().limit(5).map(file -> slashed(source.relativize(file)))
                .collect(Collectors.joining(", "));
        return "Dataset folder " + source + " has no files for split '" + split + "'. Splits found: "
                + String.join(", ", splits) + " (files: " + examples + (dataFiles.size() > 5 ? ", ..." : "")
                + "). A split's files are named '" + split + "-*', '" + split + ".*' or '" + split + "_<digit>*', or lie in"
                + " a folder named '" + split + "': set dataset.split to one of the splits found.";
    }

    private static boolean containsArrowFiles(Path folder) throws DatasetException {
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return walk.anyMatch(file -> fileName(file).endsWith(".arrow"));
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("Cannot list the dataset folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void requireDataExtension(Path file) throws DatasetException {
        if (!hasDataExtension(file)) {
            throw new DatasetException("Dataset file " + file + " has an unsupported type: use a .jsonl, .json or"
                    + " .parquet file, or a folder of them.");
        }
    }

    static boolean hasDataExtension(Path file) {
        String name = fileName(file).toLowerCase(Locale.ROOT);
        return DATA_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static boolean isHidden(Path relativePath) {
        for (Path part : relativePath) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }

    /** A path with '/' separators, so sorting and messages are the same on every system. */
    static String slashed(Path relativePath) {
        return relativePath.toString().replace(relativePath.getFileSystem().getSeparator(), "/");
    }
}
