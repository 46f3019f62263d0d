package io.splitroute.lists.update;

/** Told how far a download has got; called on the downloading thread, often, so keep it cheap. */
@FunctionalInterface
public interface DownloadProgress {
    /** Reports nothing. */
    DownloadProgress NONE = (list, received, total) -> { };

    /**
     * Reports progress.
     *
     * @param list     the list being downloaded
     * @param received bytes received so far (before decompression)
     * @param total    the announced length, or -1 if unknown
     */
    void update(String list, long received, long total);
}
