package dmdd.model.infer;

import dmdd.model.paths.ProcessFileLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The exclusive lock a writer (train, import, improve) holds on a model folder, so that two writers never
 * interleave: the second is refused with a message naming who holds the folder. The lock is the operating
 * system's lock on {@value #FILE} inside the folder, so it is released when the holder ends, even by a kill;
 * the file itself stays (a stale file is harmless). Readers never lock: the model's description is an atomic
 * pointer ({@link ModelFolder}).
 */
public final class ModelLock implements AutoCloseable {
    /** The lock file's name inside a model folder. */
    public static final String FILE = ".lock";

    private final ProcessFileLock lock;

    private ModelLock(ProcessFileLock lock) {
        this.lock = lock;
    }

    /**
     * Takes a folder's lock, or says who has it. A second writer inside this process (Improve while the workstation
     * trains) is refused too, without loosening the first one's hold ({@link ProcessFileLock}).
     *
     * @param folder    the model folder (created when missing)
     * @param operation what the holder does, for the message others see ("train", "import-model")
     * @return the held lock (close it to release)
     * @throws ModelFolderException when another writer holds the folder, naming it
     * @throws IOException          when the lock file cannot be created
     */
    public static ModelLock acquire(Path folder, String operation) throws IOException {
        Files.createDirectories(folder);
        String me = operation + ", process " + ManagementFactory.getRuntimeMXBean().getPid() + ", since "
                + Instant.now();
        try {
            return new ModelLock(ProcessFileLock.acquire(folder.resolve(FILE), me, false));
        } catch (ProcessFileLock.BusyException e) {
            throw new ModelFolderException(folder, folder + " is in use by another writer ("
                    + (e.holder().isBlank() ? "unknown" : e.holder()) + "); wait until it finishes or choose "
                    + "another folder");
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
