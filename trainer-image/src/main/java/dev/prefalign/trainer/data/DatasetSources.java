package dev.prefalign.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the data files of a split: the file itself, or the files of a folder laid out like a Hugging Face dataset
 * snapshot ({@code data/train-00000-of-00002.parquet}, {@code train.jsonl}, {@code test/part-0.jsonl}, ...).
 */
public final class DatasetSources {

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
        return SplitMatcher.belongsToSplit(slashed(relativePath), split);
    }

    private static List<Path> dataFiles(Path folder) throws DatasetException {
        // Hugging Face cache snapshots are made of symbolic links into a blob store: follow them.
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = new ArrayList<>();
            walk.filter(Files::isRegularFile)
                    .filter(file -> SplitMatcher.isDataFile(slashed(folder.relativize(file))))
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
        List<String> relative = dataFiles.stream().map(file -> slashed(source.relativize(file))).toList();
        return "Dataset folder " + source + " has no files for split '" + split + "'. "
                + SplitMatcher.missingSplitAdvice(split, relative);
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
        return SplitMatcher.hasDataExtension(fileName(file));
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }

    /** A path with '/' separators, so sorting and messages are the same on every system. */
    static String slashed(Path relativePath) {
        return relativePath.toString().replace(relativePath.getFileSystem().getSeparator(), "/");
    }
}
