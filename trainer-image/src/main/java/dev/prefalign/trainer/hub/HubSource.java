package dev.prefalign.trainer.hub;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A parsed {@code hf://} source: {@code hf://<owner>/<repo>[@rev]} for a model,
 * {@code hf://datasets/<owner>/<repo>[@rev]} for a dataset.
 *
 * @param repoId   {@code owner/name} (or a bare {@code name}, as old models like {@code gpt2} are called)
 * @param revision a branch, tag or commit sha, or null for the default branch
 */
public record HubSource(RepoType type, String repoId, String revision) {

    public static final String DEFAULT_REVISION = "main";

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public HubSource {
        String[] parts = repoId == null ? new String[0] : repoId.split("/", -1);
        boolean valid = parts.length >= 1 && parts.length <= 2;
        for (String part : parts) {
            valid &= NAME_PART.matcher(part).matches() && !part.contains("..");
        }
        if (!valid) {
            throw new IllegalArgumentException("'" + repoId + "' is not a Hub repository id: write <owner>/<name>,"
                    + " e.g. " + (type == RepoType.DATASET ? "hf://datasets/trl-lib/ultrafeedback_binarized"
                            : "hf://HuggingFaceTB/SmolLM2-135M-Instruct"));
        }
        if (revision != null) {
            for (String part : revision.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\")
                        || part.chars().anyMatch(c -> c <= ' ')) {
                    throw new IllegalArgumentException("'" + revision + "' is not a revision: give a branch, tag or "
                            + "commit sha after '@', e.g. hf://" + type.urlPrefix() + repoId + "@main");
                }
            }
        }
    }

    /** Parses an {@code hf://} URI; {@link IllegalArgumentException} says what is wrong with it. */
    public static HubSource parse(String uri) {
        if (uri == null || !uri.startsWith("hf://")) {
            throw new IllegalArgumentException("'" + uri + "' is not an hf:// source");
        }
        String rest = uri.substring("hf://".length());
        RepoType type = RepoType.MODEL;
        if (rest.startsWith(RepoType.DATASET.urlPrefix())) {
            type = RepoType.DATASET;
            rest = rest.substring(RepoType.DATASET.urlPrefix().length());
        }
        String revision = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            revision = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (revision.isEmpty()) {
                throw new IllegalArgumentException("'" + uri + "' ends with '@' but names no revision");
            }
        }
        return new HubSource(type, rest, revision);
    }

    public String revisionOrDefault() {
        return revision == null ? DEFAULT_REVISION : revision;
    }

    /**
     * The folder the trainer reads: {@code <cacheDir>/hf/<models|datasets>/<repo id>/<revision or main>}, files under
     * their repository paths.
     */
    public Path snapshotDir(Path cacheDir) {
        return cacheDir.resolve("hf").resolve(type.plural()).resolve(repoId).resolve(revisionOrDefault());
    }

    /** The source as users write it. */
    public String uri() {
        return "hf://" + type.urlPrefix() + repoId + (revision == null ? "" : "@" + revision);
    }

    @Override
    public String toString() {
        return uri();
    }
}
