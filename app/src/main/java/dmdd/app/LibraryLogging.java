package dmdd.app;

/** How much the libraries underneath may log, for both front ends. */
public final class LibraryLogging {
    private LibraryLogging() {
    }

    /**
     * DJL warns three times per start that it "failed to detect GPU count" when a CUDA runtime library is
     * present without a driver; the device choice already says in one line which device is used and why.
     * A user's own setting for that logger wins. Call before the first log line.
     */
    public static void quietGpuProbe() {
        String key = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }
}
