package dmdd.model.paths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The operating system's exclusive lock on one file, held by this process, with a line saying who holds it for
 * the others to read. The lock is released when the holder ends, even by a kill. Inside the process every lock
 * file is opened once: on Linux closing any channel on a file drops every lock the process holds on it, so a second
 * try from inside the process is answered from this process's own list, never by opening the file again.
 */
public final class ProcessFileLock implements AutoCloseable {
    /** The files this process holds, each with its one channel. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean closed;

    private ProcessFileLock(Path file) {
        this.file = file;
    }

    /** Another holder has the file: in another process, or in this one for an unshared lock. */
    public static final class BusyException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String holder;

        BusyException(String holder) {
            super("held by " + (holder.isBlank() ? "another process" : holder));
            this.holder = holder;
        }

        /** @return the holder's line ("train, process 123, since ..."), blank when unknown */
        public String holder() {
            return holder;
        }
    }

    /**
     * Takes the lock on a file.
     *
     * @param file            the lock file (created when missing); its folder exists
     * @param holder          the line others read while this process holds it
     * @param sharedInProcess whether further holds from this process are counted (the lock goes with the last)
     *                        rather than refused
     * @return the hold; close it to release
     * @throws BusyException naming the holder when the file is held elsewhere (or here, unshared)
     * @throws IOException   when the file cannot be created
     */
    public static ProcessFileLock acquire(Path file, String holder, boolean sharedInProcess) throws IOException {
        Path key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null) {
                if (!sharedInProcess) {
                    throw new BusyException(held.holder);
                }
            } else {
                FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    FileLock lock = channel.tryLock();
                    if (lock == null) {
                        // Held by another process; this one holds nothing on the file, so closing loses nothing.
                        throw new BusyException(holderOf(channel));
                    }
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    held = new Held(channel, lock, holder);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                HELD.put(key, held);
            }
            held.count++;
        }
        return new ProcessFileLock(key);
    }

    private static String holderOf(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            int n = channel.read(buffer, 0);
            return n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases this hold; the lock goes with the last hold of the file in this process. */
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
                    if (held.lock.isValid()) {
                        held.lock.release();
                    }
                } finally {
                    held.channel.close();
                }
            }
        }
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        final String holder;
        int count;

        Held(FileChannel channel, FileLock lock, String holder) {
            this.channel = channel;
            this.lock = lock;
            this.holder = holder;
        }
    }
}
