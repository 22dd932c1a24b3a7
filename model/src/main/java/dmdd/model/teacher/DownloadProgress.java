package dmdd.model.teacher;

/**
 * Receives progress while teacher weights are downloaded, converted or imported. Called on the
 * thread that does the work; a GUI forwards it to its own thread.
 */
@FunctionalInterface
public interface DownloadProgress {
    /** Ignores all progress. */
    DownloadProgress NONE = (task, done, total) -> { };

    /**
     * Reports progress of one task.
     *
     * @param task  what is happening, for people (e.g. "Downloading nsfwjs-4.3.0.tgz")
     * @param done  bytes (or steps) done so far
     * @param total bytes (or steps) in all, or -1 when unknown
     */
    void update(String task, long done, long total);
}
