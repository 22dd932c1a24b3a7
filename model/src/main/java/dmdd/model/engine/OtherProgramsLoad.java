package dmdd.model.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How many processors' worth of CPU time programs other than this one use: the machine's CPU use (in a container
 * with a CPU limit, the container's) less this process's CPU time over the same wall-clock time. A daemon thread
 * takes a reading every second and the last few are averaged, so that a choice never waits for a measurement (but
 * the very first in a JVM, 0.2 s), never rests on a reading over a few milliseconds (the process's CPU time moves in
 * 10 ms steps there) and never on one older than a few seconds.
 */
final class OtherProgramsLoad {
    /** Between two readings of the sampler thread. */
    static final long PERIOD_MILLIS = 1000;
    /** The readings averaged. */
    static final int WINDOW = 3;
    /** The first reading in a JVM watches this long. */
    static final long FIRST_LOOK_MILLIS = 200;

    /** What the JVM and the operating system can tell. */
    interface Readings {
        /**
         * @return the machine's (or the CPU-limited container's) CPU use since the previous call, as a fraction of
         *         its processors (or of its limit), or a negative number when not known
         */
        double machineLoad();

        /** @return this process's CPU time so far in nanoseconds, or a negative number when not known */
        long processCpuNanos();

        /** @return a monotonic clock in nanoseconds */
        long nanoTime();

        /** @return the container's CPU limit in processors, when there is one */
        OptionalDouble cpuLimit();

        /** @return the one-minute load average, or a negative number when not known */
        double loadAverage();
    }

    private static OtherProgramsLoad shared;

    private final Readings readings;
    private final int processors;
    private final double machineProcessors;
    private final Deque<Double> recent = new ArrayDeque<>();
    private long lastNanos = Long.MIN_VALUE;
    private long lastCpuNanos;
    private boolean unmeasurable;

    OtherProgramsLoad(Readings readings, int processors) {
        this.readings = readings;
        this.processors = processors;
        // Under a CPU limit the JVM's machine load is a fraction of the limit, not of the processors it reports
        // (the limit rounded up): 1.5 processors' worth of our own work would otherwise look like 0.5 of another's.
        this.machineProcessors = readings.cpuLimit().orElse(processors);
    }

    /** @return the JVM's shared instance, its sampler thread started */
    static synchronized OtherProgramsLoad shared() {
        if (shared == null) {
            shared = new OtherProgramsLoad(new JvmReadings(), Runtime.getRuntime().availableProcessors());
            Thread sampler = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(PERIOD_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    shared.sample();
                }
            }, "dmdd-cpu-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }
        return shared;
    }

    /**
     * Takes one reading: other programs' CPU use over the time since the previous reading.
     *
     * @return the average of the last {@value #WINDOW} readings
     */
    synchronized IntraOpThreads.OtherWork sample() {
        double machine = readings.machineLoad();
        long cpu = readings.processCpuNanos();
        long now = readings.nanoTime();
        boolean first = lastNanos == Long.MIN_VALUE;
        double own = first ? 0 : (cpu - lastCpuNanos) / (double) Math.max(1, now - lastNanos);
        lastNanos = now;
        lastCpuNanos = cpu;
        if (machine < 0 || cpu < 0) {
            unmeasurable = true;
            double load = readings.loadAverage();
            return new IntraOpThreads.OtherWork(Math.max(0, load), load < 0 ? "not measurable here"
                    : "the load average, this program's own work included");
        }
        if (!first && Double.isFinite(machine)) { // a reading the JVM could not take is left out, not counted as 0
            recent.addLast(Math.max(0, machine * machineProcessors - own));
            while (recent.size() > WINDOW) {
                recent.removeFirst();
            }
        }
        return latest();
    }

    /**
     * Other programs' CPU use now: the average of the last readings; the first call in a JVM takes one over
     * {@value #FIRST_LOOK_MILLIS} ms.
     *
     * @return other programs' busy processors
     */
    IntraOpThreads.OtherWork current() {
        synchronized (this) {
            if (!recent.isEmpty()) {
                return latest();
            }
            if (unmeasurable) {
                return sample();
            }
        }
        IntraOpThreads.OtherWork primed = sample(); // starts the interval the next reading covers
        if (unmeasurable) {
            return primed;
        }
        try {
            Thread.sleep(FIRST_LOOK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sample();
    }

    private IntraOpThreads.OtherWork latest() {
        double sum = 0;
        for (double r : recent) {
            sum += r;
        }
        double mean = recent.isEmpty() ? 0 : sum / recent.size();
        return new IntraOpThreads.OtherWork(mean, (machineProcessors == processors ? "the machine's"
                : String.format(Locale.ROOT, "the container's (limit %.2f processors)", machineProcessors))
                + " CPU use less this program's");
    }

    /**
     * The container's CPU limit from the cgroup files a container sees at its root (version 2: {@code cpu.max};
     * version 1: {@code cpu.cfs_quota_us} over {@code cpu.cfs_period_us}).
     *
     * @param cgroupRoot where the cgroup file system is mounted, normally {@code /sys/fs/cgroup}
     * @return the limit in processors, when one is set
     */
    static OptionalDouble cpuLimit(Path cgroupRoot) {
        String v2 = read(cgroupRoot.resolve("cpu.max"));
        if (v2 != null) {
            String[] parts = v2.trim().split("\\s+");
            return parts.length == 2 ? quota(parts[0], parts[1]) : OptionalDouble.empty();
        }
        for (String dir : new String[] {"cpu", "cpu,cpuacct", "cpuacct,cpu"}) {
            String quota = read(cgroupRoot.resolve(dir).resolve("cpu.cfs_quota_us"));
            String period = read(cgroupRoot.resolve(dir).resolve("cpu.cfs_period_us"));
            if (quota != null && period != null) {
                return quota(quota.trim(), period.trim());
            }
        }
        return OptionalDouble.empty();
    }

    private static OptionalDouble quota(String quota, String period) {
        try {
            long q = Long.parseLong(quota);
            long p = Long.parseLong(period);
            return q > 0 && p > 0 ? OptionalDouble.of(q / (double) p) : OptionalDouble.empty();
        } catch (NumberFormatException unlimited) { // "max"
            return OptionalDouble.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.US_ASCII) : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The readings of this JVM. */
    private static final class JvmReadings implements Readings {
        private final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        private final OptionalDouble limit = OtherProgramsLoad.cpuLimit(Path.of("/sys/fs/cgroup"));

        @Override
        public double machineLoad() {
            return bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getCpuLoad() : -1;
        }

        @Override
        public long processCpuNanos() {
            return bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public OptionalDouble cpuLimit() {
            return limit;
        }

        @Override
        public double loadAverage() {
            return bean.getSystemLoadAverage();
        }
    }
}
