package dev.prefalign.trainer.hub;

/** The two kinds of Hub repository a job reads; each has its own API and URL prefix. */
public enum RepoType {
    MODEL("models", ""),
    DATASET("datasets", "datasets/");

    private final String plural;
    private final String urlPrefix;

    RepoType(String plural, String urlPrefix) {
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /** {@code models} or {@code datasets}: the API path segment and the cache folder. */
    public String plural() {
        return plural;
    }

    /** What comes before the repository id in {@code hf://} URIs and resolve URLs. */
    public String urlPrefix() {
        return urlPrefix;
    }
}
