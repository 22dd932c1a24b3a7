package dmdd.model.engine;

import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes glibc keep the memory libtorch frees for the next array instead of handing it back to the system.
 *
 * <p>By default glibc serves every large allocation with its own {@code mmap} and unmaps it on free, so each
 * network pass at 256 px touches tens of megabytes of fresh pages that the kernel must fault in and zero:
 * {@code bench} counted 2.3 million page faults in 25 s and spent a fifth of its inference time on them.
 * Raising the mmap threshold above any array's size and never trimming the heap top lets freed arrays be
 * reused; on this 2-core CPU inference at batch 8 went from 50 to 41 ms per image and the faults fell to a
 * quarter (README, "Speed"). The cost is that the process keeps its peak memory until it exits, which
 * {@code bench} reports. Only on Linux with glibc; elsewhere, or if {@code mallopt} is missing (musl), nothing
 * changes. {@code -Ddmdd.mallopt=false} leaves the allocator alone.
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);
    /** glibc's {@code M_TRIM_THRESHOLD}. */
    private static final int M_TRIM_THRESHOLD = -1;
    /** glibc's {@code M_MMAP_THRESHOLD}. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** Larger than any array the networks make (a 256 px batch of 8 peaks near 50 MB per array). */
    private static final int MMAP_THRESHOLD_BYTES = 1 << 30;
    private static volatile Boolean applied;

    private NativeAllocator() {
    }

    /**
     * Applies the settings once per process (later calls return the first answer).
     *
     * @return whether glibc accepted them
     */
    public static synchronized boolean keepFreedMemory() {
        if (applied == null) {
            applied = apply();
        }
        return applied;
    }

    private static boolean apply() {
        if (!Platform.isLinux() || !Boolean.parseBoolean(System.getProperty("dmdd.mallopt", "true"))) {
            return false;
        }
        try {
            Libc libc = Libc.load();
            boolean ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
                    && libc.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1;
            if (!ok) {
                LOG.info("the C library refused the allocator settings; running with its defaults");
            }
            return ok;
        } catch (LinkageError | RuntimeException e) {
            LOG.info("no glibc mallopt here ({}); running with the allocator's defaults", e.toString());
            return false;
        }
    }
}
