package dev.prefalign.trainer.hub;

import java.util.List;

/**
 * What the Hub's revision API says about a revision: the commit it points at and the repository's files there.
 *
 * @param sha   the full commit sha every download is pinned to
 * @param files repository paths ({@code siblings[].rfilename}), '/'-separated
 */
public record RepoRevision(String sha, List<String> files) {
    public RepoRevision {
        files = List.copyOf(files);
    }
}
