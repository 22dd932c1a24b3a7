package dmdd.model.infer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * The lock files this process holds, with their holder. A second writer in this process is refused from here,
     * never by opening the file again: on Linux, closing any channel on a file drops every lock the process holds on
     * it, so a refused second try would have freed the folder for a writer in another process.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Path, String> HELD =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ModelLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes a folder's lock, or says who has it.
     *
     * @param folder    the model folder (created when missing)
     * @param operation what the holder does, for the message others see ("train", "import-model")
     * @return the held lock (close it to release)
     * @throws ModelFolderException when another writer holds the folder, naming it
     * @throws IOException          when the lock file cannot be created
     */
    public static ModelLock acquire(Path folder, String operation) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.toRealPath().resolve(FILE);
        String me = operation + ", process " + ManagementFactory.getRuntimeMXBean().getPid() + ", since "
                + Instant.now();
        String inThisProcess = HELD.putIfAbsent(file, me);
        if (inThisProcess != null) {
            throw busy(folder, inThisProcess);
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                // Another process holds it; this process holds no lock on the file, so closing loses nothing.
                String holder = holder(channel);
                channel.close();
                throw busy(folder, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new ModelLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file, me);
            throw e;
        }
    }

    private static ModelFolderException busy(Path folder, String holder) {
        return new ModelFolderException(folder, folder + " is in use by another writer ("
                + (holder.isBlank() ? "unknown" : holder) + "); wait until it finishes or choose another folder");
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            int n = channel.read(buffer, 0);
            return n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
            HELD.remove(file);
        }
    }
}
