package dmdd.model.train;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.Inspector;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.Teachers;
import dmdd.model.dmdd.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test): DMDD training step time (stage 1 and stage 2, default batch and widths)
 * and inference time per image with the MobileNetV2 teacher, at 256 and 128 pixels, plus the
 * process's resident memory before and after, on this machine's CPU. Random teacher weights: the
 * time does not depend on the values. Run with
 * {@code java -cp <model test classpath> dmdd.model.train.TrainBench [steps-per-stage] [threads]}, or
 * {@code ... TrainBench memory [steps-per-stage]} to watch memory over a long run.
 */
public final class TrainBench {
    private TrainBench() {
    }

    /**
     * @param args optional: steps per stage (default 12), intra-op threads (default 0 = all)
     * @throws IOException when the temporary model folder cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("memory")) {
            memory(args.length > 1 ? Integer.parseInt(args[1]) : 400);
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        DjlRuntime.engine();
        System.out.printf(Locale.ROOT, "DMDD bench: %d steps per stage, threads %d, %d processors (shared with other work)%n",
                steps, threads, Runtime.getRuntime().availableProcessors());
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.untrained(BackboneKind.MOBILENET_V2, false, manager);
            for (int side : new int[] {256, 128}) {
                DmddSettings s = DmddSettings.defaults().with(Map.of("imageSize", side, "studentSteps", steps,
                        "segmenterSteps", steps, "threads", threads, "checkpointInterval", 100000,
                        "validationFraction", 0.25));
                List<RgbImage> images = TestImages.stripes(16, side, 5);
                List<Double> stage1 = new ArrayList<>();
                List<Double> stage2 = new ArrayList<>();
                long[] last = {System.nanoTime()};
                TrainingListener timer = new TrainingListener() {
                    @Override
                    public void onProgress(TrainingProgress p) {
                        long now = System.nanoTime();
                        (p.stage() == 1 ? stage1 : stage2).add((now - last[0]) / 1e6);
                        last[0] = now;
                    }
                };
                Path dir = Files.createTempDirectory("dmdd-bench");
                long rssBefore = rssKb();
                last[0] = System.nanoTime();
                TrainingJob.run(s, images, teacher, TestImages::paintRectangle, dir, timer, null, false);
                long rssAfter = rssKb();
                System.out.printf(Locale.ROOT, "%dx%d batch %d: stage 1 step median %.0f ms (best %.0f), stage 2 step median %.0f ms (best %.0f); RSS %d -> %d MB%n",
                        side, side, s.batchSize(), median(stage1), best(stage1), median(stage2), best(stage2),
                        rssBefore / 1024, rssAfter / 1024);
                try (Inspector inspector = Inspector.open(dir, teacher)) {
                    for (int batch : new int[] {1, 8}) {
                        List<RgbImage> chunk = images.subList(0, batch);
                        double[] ms = new double[7];
                        for (int r = -2; r < ms.length; r++) {
                            long t0 = System.nanoTime();
                            inspector.inspect(chunk);
                            if (r >= 0) {
                                ms[r] = (System.nanoTime() - t0) / 1e6 / batch;
                            }
                        }
                        Arrays.sort(ms);
                        System.out.printf(Locale.ROOT, "%dx%d inference batch %d: %.1f ms/image median, %.1f best%n",
                                side, side, batch, ms[ms.length / 2], ms[0]);
                    }
                }
            }
        }
    }

    /**
     * Memory over a long run: 128 x 128, batch 8, one thread; prints the resident set size and the
     * number of live NDArrays every 50 steps (both must stay flat).
     */
    private static void memory(int stepsPerStage) throws IOException {
        DmddSettings s = DmddSettings.defaults().with(Map.of("imageSize", 128, "studentSteps", stepsPerStage,
                "segmenterSteps", stepsPerStage, "threads", 1, "checkpointInterval", 100));
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.untrained(BackboneKind.MOBILENET_V2, false, manager);
            NDManager system = manager.getParentManager();
            TrainingListener probe = new TrainingListener() {
                @Override
                public void onProgress(TrainingProgress p) {
                    if (p.completedSteps() % 50 == 0) {
                        System.out.printf(Locale.ROOT, "step %4d (stage %d): RSS %5d MB, live NDArrays %d%n",
                                p.completedSteps(), p.stage(), rssKb() / 1024, system.getManagedArrays().size());
                    }
                }
            };
            new DmddTrainer(s, teacher, TestImages::paintRectangle).train(TestImages.stripes(16, 128, 5),
                    Files.createTempDirectory("dmdd-memory"), probe, null, false, null);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> warm = new ArrayList<>(xs.subList(Math.min(2, xs.size() - 1), xs.size()));
        warm.sort(null);
        return warm.get(warm.size() / 2);
    }

    private static double best(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** @return the resident set size in kB (Linux), or -1 */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
