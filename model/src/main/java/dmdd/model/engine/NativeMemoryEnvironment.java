package dmdd.model.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables under which libtorch's arrays reuse freed memory instead of faulting in fresh pages,
 * for launchers that start the process (the C library reads them only when a process starts).
 *
 * <p>{@link NativeAllocator} keeps glibc from handing freed memory back from its main heap, but the threads that
 * call libtorch are not the process's first thread, so glibc serves them from per-thread arenas made of 64 MB
 * heaps: a heap that empties is unmapped, and an array larger than a heap (a 256 px batch of 8 makes several)
 * gets its own mapping, unmapped on free. Each pass then faults in and zeroes tens of megabytes again; on this
 * project's 2-core VM a 256 px batch of 8 counted 500-18 600 page faults per image and its inference time
 * varied between 55 and 210 ms per image from run to run. With {@value #ARENAS}{@code =1} every thread
 * allocates from the main heap, which keeps what it grew; with {@value #HUGE_PAGES}{@code =1} libtorch asks for
 * 2 MB pages for arrays of 2 MB and more, so what still has to be faulted in comes in 512 times fewer faults.
 * Together they took that batch to 37-38 ms per image and a segmentation step from 600-720 to 425 ms (README,
 * "Speed"). Neither changes a computed value.
 */
public final class NativeMemoryEnvironment {
    /** glibc's limit on malloc arenas, read when a process starts. */
    public static final String ARENAS = "MALLOC_ARENA_MAX";
    /** libtorch's switch for 2 MB pages under its large arrays, read at its first allocation. */
    public static final String HUGE_PAGES = "THP_MEM_ALLOC_ENABLE";

    private NativeMemoryEnvironment() {
    }

    /**
     * @return the variables and values to start the process with, in a fixed order
     */
    public static Map<String, String> wanted() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(ARENAS, "1");
        wanted.put(HUGE_PAGES, "1");
        return wanted;
    }

    /**
     * Whether a process started with this environment already has the arena setting. A value the user chose
     * counts too: a launcher leaves the user's choice alone.
     *
     * @param environment the process's environment
     * @return whether {@value #ARENAS} is set
     */
    public static boolean arenasChosen(Map<String, String> environment) {
        return environment.containsKey(ARENAS);
    }

    /**
     * One line for {@code bench} and logs: what this process runs with.
     *
     * @param environment the process's environment
     * @return a description of the two variables
     */
    public static String describe(Map<String, String> environment) {
        String arenas = environment.get(ARENAS);
        String pages = environment.get(HUGE_PAGES);
        return "native memory: " + (arenas == null ? "glibc's per-thread arenas (" + ARENAS + " unset)"
                : ARENAS + "=\"" + arenas + "\"" + ("1".equals(arenas.trim()) ? " (every thread on the main heap)" : ""))
                + ", " + (pages == null ? "4 kB pages (" + HUGE_PAGES + " unset)"
                : HUGE_PAGES + "=\"" + pages + "\"" + ("1".equals(pages.trim()) ? " (2 MB pages under large arrays)" : ""));
    }
}
