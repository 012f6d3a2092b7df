package dev.prefalign.api.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be used. The message lists every problem found, one per line, with file and line. */
public class ManifestException extends Exception {

    private final String origin;
    private final List<ManifestProblem> problems;

    public ManifestException(String origin, List<ManifestProblem> problems) {
        super(format(origin, problems));
        this.origin = origin;
        this.problems = List.copyOf(problems);
    }

    public ManifestException(String origin, ManifestProblem problem) {
        this(origin, List.of(problem));
    }

    public ManifestException(String origin, ManifestProblem problem, Throwable cause) {
        this(origin, List.of(problem));
        initCause(cause);
    }

    /** The file (or other name) the manifest came from. */
    public String origin() {
        return origin;
    }

    /** The problems, ordered by line. */
    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String format(String origin, List<ManifestProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ManifestException needs at least one problem");
        }
        return problems.stream()
                .sorted(Comparator.comparingInt(ManifestProblem::line))
                .map(p -> p.describe(origin))
                .collect(Collectors.joining("\n"));
    }
}
