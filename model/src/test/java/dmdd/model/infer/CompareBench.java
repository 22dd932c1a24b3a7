package dmdd.model.infer;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.RealTeacher;
import dmdd.model.dmdd.TestImages;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.metrics.Auroc;
import dmdd.model.teacher.Backbone;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark (not a test): DMDD against the baseline on crops of a real skimage texture with the
 * real MobileNetV2 teacher; defects at test time are painted rectangles and thin scratches, shapes
 * the training synthesis never makes. Prints pixel AUROC of each map and the training time. Run with
 * {@code java -cp <model test classpath> -Ddmdd.fixtures=<.fixtures> dmdd.model.infer.CompareBench
 * [texture.png] [size] [studentSteps] [segmenterSteps]}.
 */
public final class CompareBench {
    private CompareBench() {
    }

    /**
     * @param args texture file name, image size, stage-1 steps, stage-2 steps
     * @throws IOException when a fixture is missing
     */
    public static void main(String[] args) throws IOException {
        String texture = args.length > 0 ? args[0] : "gravel.png";
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int s1 = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int s2 = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        DjlRuntime.engine();
        List<RgbImage> normals = RealTeacher.crops(texture, 40, 2 * side, side, 1);
        List<RgbImage> tests = RealTeacher.crops(texture, 16, 2 * side, side, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            Backbone teacher = RealTeacher.mobileNetV2(manager);
            for (String method : new String[] {"dmdd", "baseline"}) {
                DmddSettings s = DmddSettings.defaults().with(Map.of("imageSize", side, "batchSize", 8,
                        "studentSteps", s1, "segmenterSteps", s2, "method", method));
                Path dir = Files.createTempDirectory("dmdd-compare");
                TrainingResult r = TrainingJob.run(s, normals, teacher, dir, null, null, false);
                Random rng = new Random(99);
                int plane = side * side;
                float[][] maps = new float[3][tests.size() * plane];
                boolean[] labels = new boolean[tests.size() * plane];
                try (Inspector inspector = Inspector.open(dir, teacher)) {
                    for (int i = 0; i < tests.size(); i++) {
                        TrainingPair d = i % 2 == 0 ? TestImages.paintRectangle(tests.get(i), rng)
                                : scratch(tests.get(i), rng);
                        AnomalyMaps m = inspector.inspect(d.augmented());
                        System.arraycopy(m.normality(), 0, maps[0], i * plane, plane);
                        System.arraycopy(m.abnormality(), 0, maps[1], i * plane, plane);
                        System.arraycopy(m.fused(), 0, maps[2], i * plane, plane);
                        System.arraycopy(d.mask().toBooleans(), 0, labels, i * plane, plane);
                    }
                }
                System.out.printf(Locale.ROOT, "%s %s %dpx %d+%d steps, %.0f s: pixel AUROC normality %.3f, abnormality %.3f, fused %.3f%n",
                        texture, method, side, s1, method.equals("dmdd") ? s2 : 0, r.seconds(),
                        Auroc.compute(maps[0], labels).value(), Auroc.compute(maps[1], labels).value(),
                        Auroc.compute(maps[2], labels).value());
            }
        }
    }

    /** A thin bright or dark line: a scratch. */
    static TrainingPair scratch(RgbImage normal, Random rng) {
        int w = normal.width();
        int h = normal.height();
        float[] chw = normal.chw();
        boolean[] m = new boolean[w * h];
        double x = w * (0.2 + 0.6 * rng.nextDouble());
        double y = h * (0.2 + 0.6 * rng.nextDouble());
        double angle = rng.nextDouble() * Math.PI;
        int length = w / 3 + rng.nextInt(w / 4);
        float value = rng.nextBoolean() ? 1f : 0f;
        for (int t = -length / 2; t < length / 2; t++) {
            int cx = (int) Math.round(x + t * Math.cos(angle));
            int cy = (int) Math.round(y + t * Math.sin(angle));
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int px = cx + dx;
                    int py = cy + dy;
                    if (px >= 0 && py >= 0 && px < w && py < h) {
                        m[py * w + px] = true;
                        for (int c = 0; c < 3; c++) {
                            chw[c * w * h + py * w + px] = value;
                        }
                    }
                }
            }
        }
        return new TrainingPair(normal, RgbImage.of(w, h, chw), Mask.of(w, h, m));
    }
}
