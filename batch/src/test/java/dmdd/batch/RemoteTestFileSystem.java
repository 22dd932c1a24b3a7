package dmdd.batch;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system that is not a local one to the job ({@value #SCHEME}{@code :/path} reads the
 * local {@code /path}), standing in for HDFS or an object store: the batch job must copy its files to
 * scratch before the pipeline reads them, and must name them by their own paths in errors.
 */
public final class RemoteTestFileSystem extends FilterFileSystem {
    /** The scheme this file system serves. */
    public static final String SCHEME = "remotetest";

    /** Hadoop creates file systems by reflection. */
    public RemoteTestFileSystem() {
        super(new RawLocalFileSystem());
    }

    /**
     * Registers the file system in a Hadoop configuration.
     *
     * @param conf the configuration
     */
    public static void register(Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", RemoteTestFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    }

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        fs.initialize(URI.create("file:///"), conf);
        setConf(conf);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    protected void checkPath(Path path) {
        // Every path of this scheme is served.
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return fs.open(local(f), bufferSize);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        FileStatus status = fs.getFileStatus(local(f));
        status.setPath(f);
        return status;
    }

    private static Path local(Path p) {
        return new Path("file", null, p.toUri().getPath());
    }
}
