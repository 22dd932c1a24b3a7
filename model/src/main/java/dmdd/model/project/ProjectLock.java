package dmdd.model.project;

import dmdd.model.paths.ProcessFileLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Marks a project as open in this workstation process, so that a second process does not open it too: each would
 * write {@code project.json} and {@code annotations.json} from its own memory and undo the other's changes. The mark
 * is the operating system's lock on {@value #FILE} in the project folder, released when the process ends, even by
 * a kill. Inside one process the same project may be held several times (counted); the lock goes with the last.
 */
public final class ProjectLock implements AutoCloseable {
    /** The lock file's name inside a project folder. */
    public static final String FILE = ".dmdd-open.lock";

    private final ProcessFileLock lock;

    private ProjectLock(ProcessFileLock lock) {
        this.lock = lock;
    }

    /**
     * Marks a project as open here, or says which process has it open.
     *
     * @param projectFolder the project folder (it exists)
     * @return the mark; close it when the project is closed
     * @throws IOException naming the project and the other process when another process has it open
     */
    public static ProjectLock acquire(Path projectFolder) throws IOException {
        String me = "process " + ManagementFactory.getRuntimeMXBean().getPid() + ", since " + Instant.now();
        try {
            return new ProjectLock(ProcessFileLock.acquire(projectFolder.resolve(FILE), me, true));
        } catch (ProcessFileLock.BusyException e) {
            throw new IOException(projectFolder + " is open in another DMDD Inspector ("
                    + (e.holder().isBlank() ? "another process" : e.holder()) + "); close it there first");
        }
    }

    /** Releases this hold; the lock goes with the last hold of the project in this process. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
