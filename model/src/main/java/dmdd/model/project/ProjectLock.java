package dmdd.model.project;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Marks a project as open in this workstation process, so that a second process does not open it too: each would
 * write {@code project.json} and {@code annotations.json} from its own memory and undo the other's changes. The mark
 * is the operating system's lock on {@value #FILE} in the project folder, released when the process ends, even by
 * a kill. Inside one process the same project may be held several times (counted); the lock goes with the last.
 */
public final class ProjectLock implements AutoCloseable {
    /** The lock file's name inside a project folder. */
    public static final String FILE = ".dmdd-open.lock";

    /** The projects this process holds: one channel each, never a second (closing one would drop the lock). */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean closed;

    private ProjectLock(Path file) {
        this.file = file;
    }

    /**
     * Marks a project as open here, or says which process has it open.
     *
     * @param projectFolder the project folder (it exists)
     * @return the mark; close it when the project is closed
     * @throws IOException naming the project and the other process when another process has it open
     */
    public static ProjectLock acquire(Path projectFolder) throws IOException {
        Path file = projectFolder.toRealPath().resolve(FILE);
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held == null) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (lock == null) {
                    String holder = holder(channel);
                    channel.close();
                    throw new IOException(projectFolder + " is open in another DMDD Inspector ("
                            + (holder.isBlank() ? "another process" : holder) + "); close it there first");
                }
                String me = "process " + ManagementFactory.getRuntimeMXBean().getPid() + ", since " + Instant.now();
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
                held = new Held(channel, lock);
                HELD.put(file, held);
            }
            held.count++;
        }
        return new ProjectLock(file);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            int n = channel.read(buffer, 0);
            return n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases this hold; the lock goes with the last hold of the project in this process. */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(file);
            if (held != null && --held.count == 0) {
                HELD.remove(file);
                try {
                    held.lock.release();
                } finally {
                    held.channel.close();
                }
            }
        }
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int count;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }
}
