package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The automatic thread count leaves the cores other programs keep busy and takes the ones this program itself
 * keeps busy: its own training or inspection just before must not halve the next one's threads.
 */
class IntraOpThreadsTest {

    @Test
    void aProgramHoldsACoreFromHalfACoreOnAndAtLeastOneThreadIsLeft() {
        assertThat(IntraOpThreads.threadsLeft(2, 0.0)).isEqualTo(2);
        assertThat(IntraOpThreads.threadsLeft(2, 0.4)).isEqualTo(2);
        assertThat(IntraOpThreads.threadsLeft(2, 0.6)).isEqualTo(1);
        assertThat(IntraOpThreads.threadsLeft(2, 7.5)).isEqualTo(1);
        assertThat(IntraOpThreads.threadsLeft(16, 2.2)).isEqualTo(14);
    }

    @Test
    void thisProgramsOwnBusyThreadsAreNotOtherWork() throws InterruptedException {
        int processors = Runtime.getRuntime().availableProcessors();
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> spinners = new ArrayList<>();
        IntraOpThreads.measureOtherWork(processors); // starts the interval the next measurement covers
        for (int i = 0; i < processors; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (spin.get()) {
                    x += System.nanoTime() & 1;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        Thread.sleep(800);
        IntraOpThreads.OtherWork other = IntraOpThreads.measureOtherWork(processors);
        spin.set(false);
        for (Thread t : spinners) {
            t.join();
        }
        // every core was busy, with this program's threads: the old rule (the load average) counted them
        assertThat(other.busyProcessors()).as(other.describe(processors)).isLessThan(0.5);
        assertThat(IntraOpThreads.threadsLeft(processors, other.busyProcessors())).isEqualTo(processors);
    }

    @Test
    void anotherProgramSpinningOnACoreTakesIt() throws Exception {
        assumeTrue(Platform.isLinux() && Files.isExecutable(Path.of("/bin/sh")), "a busy shell loop as the program");
        int processors = Runtime.getRuntime().availableProcessors();
        IntraOpThreads.measureOtherWork(processors);
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(800);
            IntraOpThreads.OtherWork other = IntraOpThreads.measureOtherWork(processors);
            assertThat(other.busyProcessors()).as(other.describe(processors)).isGreaterThanOrEqualTo(0.5);
            assertThat(IntraOpThreads.threadsLeft(processors, other.busyProcessors()))
                    .isLessThanOrEqualTo(Math.max(1, processors - 1));
        } finally {
            busy.destroyForcibly().waitFor();
        }
    }
}
