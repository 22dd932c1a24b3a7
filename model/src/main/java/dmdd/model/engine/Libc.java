package dmdd.model.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The C library calls the engine's start-up needs before libtorch runs (through JNA, already on DJL's classpath):
 * {@link NativeAllocator} tunes glibc's allocator, {@link ConvolutionKernels} sets the variable oneDNN reads
 * ({@link System#getenv} cannot change the environment native code sees).
 */
interface Libc extends Library {
    /**
     * @param parameter glibc's {@code M_*} parameter
     * @param value     its value
     * @return 1 on success
     */
    int mallopt(int parameter, int value);

    /**
     * @param name      variable name
     * @param value     value
     * @param overwrite non-zero to replace an existing value
     * @return 0 on success
     */
    int setenv(String name, String value, int overwrite);

    /**
     * @return the process's C library
     * @throws UnsatisfiedLinkError when there is none to load
     */
    static Libc load() {
        return Native.load("c", Libc.class);
    }
}
