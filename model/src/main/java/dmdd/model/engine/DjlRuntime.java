package dmdd.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dmdd.model.paths.UserDataDirs;

/**
 * The one place that starts DJL. DMDD Inspector must run on machines without internet, so before
 * the engine loads this class switches DJL to offline mode (no native download, no usage report)
 * and pins the PyTorch engine. libtorch then comes from the {@code pytorch-native-*} jar on the
 * class path, which DJL extracts once into its cache directory ({@code DJL_CACHE_DIR}, by default
 * {@code djl} in {@link UserDataDirs#cacheDir()}).
 */
public final class DjlRuntime {
    /** The DJL engine this project is built for. */
    public static final String ENGINE = "PyTorch";

    private static volatile Engine engine;

    private DjlRuntime() {
    }

    /**
     * Applies the offline settings (unless the user set them explicitly) and loads the engine.
     *
     * @return the PyTorch engine
     */
    public static Engine engine() {
        Engine loaded = engine;
        if (loaded == null) {
            synchronized (DjlRuntime.class) {
                loaded = engine;
                if (loaded == null) {
                    NativeAllocator.keepFreedMemory();
                    applyOfflineSettings();
                    ConvolutionKernels.limitWhereWrong(); // before oneDNN's first convolution reads it
                    loaded = Engine.getEngine(ENGINE);
                    TorchLogLevel.quietUnlessAsked(); // libtorch is loaded now
                    engine = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * Sets the system properties that keep DJL from reaching the network. Called by
     * {@link #engine()}; public so that launchers can apply it before anything else touches DJL.
     */
    public static void applyOfflineSettings() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.default_engine", ENGINE);
        // Only the CPU flavour is bundled by default; a CUDA build is chosen by its own Maven profile.
        setIfAbsent("PYTORCH_FLAVOR", System.getenv().getOrDefault("PYTORCH_FLAVOR", "cpu"));
        // libtorch is unpacked once into the user's cache folder (the place each system expects,
        // never the installation folder) instead of DJL's default ~/.djl.ai. DJL reads the
        // environment variable before the property, so a DJL_CACHE_DIR set by the user still wins.
        if (System.getenv("DJL_CACHE_DIR") == null) {
            setIfAbsent("DJL_CACHE_DIR", UserDataDirs.cacheDir().resolve("djl").toString());
        }
    }

    /**
     * The device DJL would use by default: the first GPU when one is visible, else the CPU.
     *
     * @return the default device
     */
    public static Device defaultDevice() {
        return engine().defaultDevice();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
