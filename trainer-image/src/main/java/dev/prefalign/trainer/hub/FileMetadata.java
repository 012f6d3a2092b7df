package dev.prefalign.trainer.hub;

import java.net.URI;

/**
 * What the Hub says about one file before its bytes are fetched (huggingface_hub's {@code get_hf_file_metadata}).
 *
 * @param downloadUrl where the bytes are: the resolve URL itself, or the CDN it redirects LFS files to
 * @param hash        the content hash from {@code X-Linked-Etag} or {@code ETag}, or null when the server gave none
 * @param size        bytes ({@code X-Linked-Size} or {@code Content-Length}), or -1 when unknown
 * @param commit      {@code X-Repo-Commit}: the commit the file was served from, or null
 * @param etag        the ETag without quotes, or null; compared with the download's to notice a file that changed
 */
public record FileMetadata(URI downloadUrl, FileHash hash, long size, String commit, String etag) {
}
