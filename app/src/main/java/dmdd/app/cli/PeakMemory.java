package dmdd.app.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak memory of this process. The Java heap's peak comes from the memory pools; the native memory of
 * libtorch (where the tensors live) is only visible in the process's resident set, read from
 * {@code /proc/self/status} (VmHWM, the high-water mark) on Linux.
 */
final class PeakMemory {
    private PeakMemory() {
    }

    /** Forgets the heap peaks so far (the resident high-water mark cannot be reset). */
    static void resetHeapPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** @return the sum of the heap pools' peak usage, in bytes */
    static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** @return the process's peak resident set in bytes, when the OS reports it */
    static OptionalLong residentPeakBytes() {
        return statusBytes("VmHWM:");
    }

    /** @return the process's resident set now, in bytes, when the OS reports it */
    static OptionalLong residentBytes() {
        return statusBytes("VmRSS:");
    }

    /**
     * @return the page faults this process has taken that needed no disk read (fresh or reclaimed pages the
     *         kernel had to map and zero), from {@code /proc/self/stat}, when the OS reports them
     */
    static OptionalLong minorPageFaults() {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) {
            return OptionalLong.empty();
        }
        try {
            String line = Files.readString(stat);
            // the command name may hold spaces: the fields after its closing parenthesis are state, ppid, pgrp,
            // session, tty_nr, tpgid, flags, minflt
            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
            return OptionalLong.of(Long.parseLong(fields[7]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong statusBytes(String field) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * @param bytes a size
     * @return e.g. {@code 512 MiB}
     */
    static String format(long bytes) {
        return bytes >= 10L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }
}
