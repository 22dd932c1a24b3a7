package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.DjlRuntime;

import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark (not a test): the teacher's forward time per 256 x 256 image on this machine's CPU,
 * for each backbone, at batch sizes 1 and 8. Random weights: the time does not depend on the
 * values. Run with {@code java -cp <model test classpath> dmdd.model.teacher.TeacherBench [runs]}.
 */
public final class TeacherBench {
    private static final int SIZE = 256;

    private TeacherBench() {
    }

    /**
     * @param args optional: number of timed runs per case (default 10)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.printf(Locale.ROOT, "teacher forward, %dx%d, CPU threads %d, median and best of %d runs (other processes share the CPU)%n",
                SIZE, SIZE, Runtime.getRuntime().availableProcessors(), runs);
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            for (BackboneKind kind : BackboneKind.values()) {
                try (NDManager scope = manager.newSubManager()) {
                    Backbone teacher = Teachers.untrained(kind, false, scope);
                    for (int batch : new int[] {1, 8}) {
                        double[] ms = timesMillis(teacher, scope, batch, runs);
                        System.out.printf(Locale.ROOT, "%-16s batch %d: per image median %7.1f ms, best %7.1f ms%n",
                                kind.cliName(), batch, ms[runs / 2] / batch, ms[0] / batch);
                    }
                }
            }
        }
    }

    /** @return the sorted wall times of the timed runs */
    private static double[] timesMillis(Backbone teacher, NDManager manager, int batch, int runs) {
        double[] times = new double[runs];
        for (int i = -2; i < runs; i++) { // two warm-up runs
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.randomUniform(0, 1, new Shape(batch, 3, SIZE, SIZE));
                long start = System.nanoTime();
                NDList levels = teacher.features(x);
                levels.forEach(NDArray::toFloatArray); // make sure the work is done
                if (i >= 0) {
                    times[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(times);
        return times;
    }
}
