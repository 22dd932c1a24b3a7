package dmdd.model.engine;

import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;

/** libtorch's intra-op thread count, set from a model setting before training or inference. */
public final class IntraOpThreads {
    private IntraOpThreads() {
    }

    /**
     * Sets the intra-op threads: the given count, or {@link #auto()} for 0.
     *
     * @param threads the setting (0 = automatic)
     * @return the thread count now in use
     */
    public static int apply(int threads) {
        DjlRuntime.engine();
        int n = threads > 0 ? threads : auto();
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
        }
        return n;
    }

    /**
     * The automatic choice: the processors not already kept busy by other work (processors minus
     * the one-minute load average, at least 1). On a CPU shared with busy processes more threads
     * are much slower, not faster: libtorch's OpenMP workers spin while they wait for a core
     * (measured here: a DMDD step took 7 times longer with 2 threads than with 1 at load 8 on 2
     * cores). On an idle machine this is every processor.
     *
     * @return threads to use
     */
    public static int auto() {
        int processors = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load < 0) {
            return processors; // load average not available on this OS
        }
        return Math.max(1, Math.min(processors, processors - (int) Math.floor(load)));
    }
}
