package dmdd.model.engine;

import ai.djl.pytorch.jni.JniUtils;

/** libtorch's intra-op thread count, set from a model setting before training or inference. */
public final class IntraOpThreads {
    private IntraOpThreads() {
    }

    /**
     * Sets the intra-op threads: the given count, or every available processor for 0. On a CPU
     * shared with other busy processes, 1 can be much faster than 2: idle OpenMP workers spin
     * while they wait for a core.
     *
     * @param threads the setting (0 = all processors)
     */
    public static void apply(int threads) {
        DjlRuntime.engine();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
        }
    }
}
