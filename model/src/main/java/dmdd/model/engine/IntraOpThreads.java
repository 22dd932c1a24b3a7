package dmdd.model.engine;

import ai.djl.pytorch.jni.JniUtils;

/** libtorch's intra-op thread count, set from a model setting before training or inference. */
public final class IntraOpThreads {
    private static volatile OtherWork lastOtherWork;

    private IntraOpThreads() {
    }

    /**
     * Sets the intra-op threads: the given count, at most this computer's processors, or {@link #auto()} for 0.
     * More threads than processors only wait for each other (measured: 1000 on 2 cores made 2021 threads and a
     * 3-step training ran for minutes instead of seconds), and a settings file may come from a larger computer.
     *
     * @param threads the setting (0 = automatic)
     * @return the thread count now in use
     */
    public static int apply(int threads) {
        DjlRuntime.engine();
        int n = threads > 0 ? Math.min(threads, Runtime.getRuntime().availableProcessors()) : auto();
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
        }
        return n;
    }

    /**
     * @return the intra-op thread count libtorch runs this thread's operations with now
     */
    public static int current() {
        DjlRuntime.engine();
        return JniUtils.getNumThreads();
    }

    /**
     * The automatic choice: the processors that other programs leave free (at least 1). On a CPU shared with busy
     * processes more threads are much slower, not faster: libtorch's OpenMP workers spin while they wait for a core
     * (measured here: a DMDD step took 7 times longer with 2 threads than with 1 at load 8 on 2 cores). This
     * program's own work does not count: the load average this used to read included it, so an inspection started
     * right after a training in the same workstation, or a command right after another, ran on one thread of two
     * for a minute or more (measured with {@code bench} on 2 cores after a busy minute: 60-62 against 32-33 ms per
     * 256 px image at batch 8, README "Speed"). The choice reads {@link OtherProgramsLoad}, which a thread of its
     * own keeps up to date, so it costs an inspection nothing but the first time in a JVM (0.2 s).
     *
     * @return threads to use
     */
    public static int auto() {
        int processors = Runtime.getRuntime().availableProcessors();
        OtherWork other = OtherProgramsLoad.shared().current();
        lastOtherWork = other;
        return threadsLeft(processors, other.busyProcessors());
    }

    /**
     * What the last automatic choice saw, for messages.
     *
     * @return a phrase such as "other programs kept 0.1 of 2 processors busy", or an empty string before the first
     *         automatic choice
     */
    public static String lastAutomaticReason() {
        OtherWork other = lastOtherWork;
        return other == null ? "" : other.describe(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The rule: every processor a busy program does not hold, at least one. A program counts as holding a processor
     * from half of one on, so a process spinning on one core takes it, a background task that wakes now and then
     * does not.
     *
     * @param processors     processors of this machine
     * @param otherBusy      processors' worth of CPU time other programs use, {@code >= 0}
     * @return threads to use, between 1 and {@code processors}
     */
    static int threadsLeft(int processors, double otherBusy) {
        long held = Math.round(Math.max(0, otherBusy));
        return (int) Math.max(1, Math.min(processors, processors - held));
    }

    /**
     * Other programs' CPU use, in processors' worth.
     *
     * @param busyProcessors processors' worth of CPU time used by programs other than this one
     * @param source         how it was measured
     */
    record OtherWork(double busyProcessors, String source) {
        String describe(int processors) {
            return String.format(java.util.Locale.ROOT, "other programs kept %.1f of %d processors busy (%s)",
                    busyProcessors, processors, source);
        }
    }
}
