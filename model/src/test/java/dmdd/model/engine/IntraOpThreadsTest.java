package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aThreadCountAboveTheProcessorsIsCappedToThem() {
        int before = IntraOpThreads.current();
        int processors = Runtime.getRuntime().availableProcessors();
        try {
            // 1000 threads on 2 cores made a 3-step training run for minutes
            assertThat(IntraOpThreads.apply(1000)).isEqualTo(processors);
            assertThat(IntraOpThreads.current()).isEqualTo(processors);
            assertThat(IntraOpThreads.apply(1)).isEqualTo(1);
        } finally {
            IntraOpThreads.apply(before);
        }
    }

    @Test
    void thisProgramsOwnCpuTimeIsTakenOffTheMachinesUse() {
        FakeReadings r = new FakeReadings(OptionalDouble.empty());
        OtherProgramsLoad load = new OtherProgramsLoad(r, 2);
        load.sample();
        r.after(1.0, 1.0, 2.0); // both processors busy, all of it ours
        assertThat(load.sample().busyProcessors()).isCloseTo(0.0, within(1e-9));
        r.after(1.0, 0.5, 0.0); // one processor busy, none of it ours
        assertThat(load.sample().busyProcessors()).isCloseTo(0.5, within(1e-9)); // the mean of 0 and 1
        r.after(1.0, 0.5, 0.0);
        load.sample();
        r.after(1.0, 0.5, 0.0);
        // the last three readings only: the first (all ours) has left the window
        assertThat(load.sample().busyProcessors()).isCloseTo(1.0, within(1e-9));
        assertThat(IntraOpThreads.threadsLeft(2, load.current().busyProcessors())).isEqualTo(1);
    }

    @Test
    void aReadingTheJvmCouldNotTakeIsLeftOutNotCountedAsIdle() {
        FakeReadings r = new FakeReadings(OptionalDouble.empty());
        OtherProgramsLoad load = new OtherProgramsLoad(r, 2);
        load.sample();
        r.after(1.0, 0.5, 0.0); // another program on one processor
        load.sample();
        r.after(1.0, Double.NaN, 0.0);
        assertThat(load.sample().busyProcessors()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void underAFractionalCpuLimitTheMachinesUseIsAShareOfTheLimit() {
        FakeReadings r = new FakeReadings(OptionalDouble.of(1.5)); // a container limited to 1.5 processors: 2 seen
        OtherProgramsLoad load = new OtherProgramsLoad(r, 2);
        load.sample();
        r.after(1.0, 1.0, 1.5); // the container's whole limit used, all of it by us
        IntraOpThreads.OtherWork other = load.sample();
        // times the 2 processors the JVM reports it would have been 0.5 of another program's: one thread of two
        assertThat(other.busyProcessors()).isCloseTo(0.0, within(1e-9));
        assertThat(other.source()).contains("limit 1.50");
    }

    @Test
    void whereNothingCanBeMeasuredTheLoadAverageStandsInWithoutWaiting() {
        FakeReadings r = new FakeReadings(OptionalDouble.empty());
        r.machine = -1;
        r.loadAverage = 1.2;
        OtherProgramsLoad load = new OtherProgramsLoad(r, 2);
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            IntraOpThreads.OtherWork other = load.current();
            assertThat(other.busyProcessors()).isEqualTo(1.2);
            assertThat(other.source()).contains("load average");
        }
        assertThat((System.nanoTime() - t0) / 1e6).as("ms for five choices").isLessThan(150);
    }

    @Test
    void theCgroupCpuLimitIsReadInBothVersions(@TempDir Path dir) throws IOException {
        Path v2 = Files.createDirectories(dir.resolve("v2"));
        Files.writeString(v2.resolve("cpu.max"), "150000 100000\n");
        assertThat(OtherProgramsLoad.cpuLimit(v2)).hasValue(1.5);
        Files.writeString(v2.resolve("cpu.max"), "max 100000\n");
        assertThat(OtherProgramsLoad.cpuLimit(v2)).isEmpty();
        Path v1 = Files.createDirectories(dir.resolve("v1").resolve("cpu,cpuacct"));
        Files.writeString(v1.resolve("cpu.cfs_quota_us"), "250000\n");
        Files.writeString(v1.resolve("cpu.cfs_period_us"), "100000\n");
        assertThat(OtherProgramsLoad.cpuLimit(dir.resolve("v1"))).hasValue(2.5);
        Files.writeString(v1.resolve("cpu.cfs_quota_us"), "-1\n");
        assertThat(OtherProgramsLoad.cpuLimit(dir.resolve("v1"))).isEmpty();
        assertThat(OtherProgramsLoad.cpuLimit(dir.resolve("none"))).isEmpty();
    }

    @Test
    void inThisJvmOwnBusyThreadsAreNotOtherWorkAndABusyShellLoopIs() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        OtherProgramsLoad shared = OtherProgramsLoad.shared();
        shared.current();
        Thread.sleep(waitForWindow());
        double before = shared.current().busyProcessors();
        assumeTrue(before < 0.3, "other programs keep this machine busy (" + before + " processors)");

        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> spinners = new ArrayList<>();
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
        Thread.sleep(waitForWindow());
        IntraOpThreads.OtherWork whileWeSpin = shared.current();
        spin.set(false);
        for (Thread t : spinners) {
            t.join();
        }
        // every core was busy, with this program's threads: the load average, the old rule, counted them
        assertThat(whileWeSpin.busyProcessors()).as(whileWeSpin.describe(processors)).isLessThan(0.5);
        assertThat(IntraOpThreads.threadsLeft(processors, whileWeSpin.busyProcessors())).isEqualTo(processors);

        assumeTrue(Platform.isLinux() && Files.isExecutable(Path.of("/bin/sh")), "a busy shell loop as the program");
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(waitForWindow());
            IntraOpThreads.OtherWork other = shared.current();
            assertThat(other.busyProcessors()).as(other.describe(processors)).isGreaterThanOrEqualTo(0.5);
            assertThat(IntraOpThreads.threadsLeft(processors, other.busyProcessors()))
                    .isLessThanOrEqualTo(Math.max(1, processors - 1));
        } finally {
            busy.destroyForcibly().waitFor();
        }
    }

    /** Long enough for the sampler's averaged readings to cover only what happened since. */
    private static long waitForWindow() {
        return OtherProgramsLoad.PERIOD_MILLIS * (OtherProgramsLoad.WINDOW + 1) + 300;
    }

    /** Readings that advance by what a test says happened. */
    private static final class FakeReadings implements OtherProgramsLoad.Readings {
        private final OptionalDouble limit;
        double machine;
        double loadAverage = -1;
        long cpu;
        long now;

        FakeReadings(OptionalDouble limit) {
            this.limit = limit;
        }

        /** {@code seconds} pass with the machine at {@code load} and this process using {@code cpuSeconds}. */
        void after(double seconds, double load, double cpuSeconds) {
            now += (long) (seconds * 1e9);
            cpu += (long) (cpuSeconds * 1e9);
            machine = load;
        }

        @Override
        public double machineLoad() {
            return machine;
        }

        @Override
        public long processCpuNanos() {
            return machine < 0 ? -1 : cpu;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public OptionalDouble cpuLimit() {
            return limit;
        }

        @Override
        public double loadAverage() {
            return loadAverage;
        }
    }
}
