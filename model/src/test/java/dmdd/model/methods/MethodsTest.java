package dmdd.model.methods;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.RealTeacher;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TrainingStage;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.metrics.Auroc;
import dmdd.model.teacher.Backbone;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AAND and DCAM beside DMDD: each one's student loss falls and it localises obvious defects it never saw on a real
 * texture (the small version of the development benchmark), and one DCAM model trained on two textures at once
 * localises the defects of both.
 */
class MethodsTest {
    private static NDManager manager;
    private static Backbone teacher;

    @BeforeAll
    static void teacher() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = RealTeacher.mobileNetV2(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static DmddSettings tiny(String method) {
        return DmddSettings.defaults().with(Map.of("method", method, "imageSize", 64, "batchSize", 4,
                "studentWidth", 16, "studentSteps", 150, "amplifierSteps", 60, "bottleneckWidth", 64,
                "validationFraction", 0.2, "threads", 1)).with(Map.of("topK", 20, "matchingPrototypes", 32));
    }

    @Test
    void aandAmplifiesThenDistilsAndLocalisesAnObviousDefect(@TempDir Path dir) throws IOException {
        Learning l = train(tiny("aand"), RealTeacher.crops("gravel.png", 20, 128, 64, 1), dir);
        assertThat(l.falls(TrainingStage.AMPLIFIER)).isTrue();
        assertThat(l.falls(TrainingStage.STUDENT)).isTrue();
        double auroc = pixelAuroc(dir, RealTeacher.crops("gravel.png", 8, 128, 64, 2));
        System.out.printf("AAND pixel AUROC %.3f%n", auroc);
        assertThat(auroc).isGreaterThan(0.85);
    }

    @Test
    void dcamLearnsOneStudentAndLocalisesAnObviousDefect(@TempDir Path dir) throws IOException {
        Learning l = train(tiny("dcam"), RealTeacher.crops("gravel.png", 20, 128, 64, 1), dir);
        assertThat(l.falls(TrainingStage.STUDENT)).isTrue();
        double auroc = pixelAuroc(dir, RealTeacher.crops("gravel.png", 8, 128, 64, 2));
        System.out.printf("DCAM pixel AUROC %.3f%n", auroc);
        assertThat(auroc).isGreaterThan(0.85);
    }

    @Test
    void oneDcamModelOnTwoTexturesSeparatesTheDefectsOfBoth(@TempDir Path dir) throws IOException {
        List<RgbImage> normals = new ArrayList<>(RealTeacher.crops("gravel.png", 12, 128, 64, 1));
        normals.addAll(RealTeacher.crops("brick.png", 12, 128, 64, 1));
        // Two part types need more than the 16-channel student: with it, brick's AUROC ranged 0.75-0.98 over seeds
        // 1-8 (and 0.84 at seed 42 on the CI machine's CPU). With 32 channels and 16 test crops per texture instead
        // of 8 it ranged 0.90-0.97 over seeds 1-12, clear of the 0.85 every method's test asks for.
        Learning l = train(tiny("dcam").with(Map.of("studentWidth", 32)), normals, dir);
        assertThat(l.falls(TrainingStage.STUDENT)).isTrue();
        double gravel = pixelAuroc(dir, RealTeacher.crops("gravel.png", 16, 128, 64, 2));
        double brick = pixelAuroc(dir, RealTeacher.crops("brick.png", 16, 128, 64, 2));
        System.out.printf("DCAM two categories: gravel %.3f, brick %.3f%n", gravel, brick);
        assertThat(gravel).isGreaterThan(0.85);
        assertThat(brick).isGreaterThan(0.85);
    }

    /** The losses of each stage, in step order. */
    private record Learning(Map<TrainingStage, List<Double>> losses) {
        boolean falls(TrainingStage stage) {
            List<Double> x = losses.get(stage);
            int k = Math.max(3, x.size() / 15);
            return mean(x.subList(x.size() - k, x.size())) < 0.8 * mean(x.subList(0, k));
        }
    }

    private static Learning train(DmddSettings settings, List<RgbImage> normals, Path dir) throws IOException {
        Map<TrainingStage, List<Double>> losses = new java.util.LinkedHashMap<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                losses.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p.losses().get("total"));
            }
        };
        TrainingResult r = TrainingJob.run(settings, normals, teacher, dir, listener, null, false);
        assertThat(r.completed()).isTrue();
        assertThat(losses.keySet()).containsExactlyElementsOf(settings.stages());
        return new Learning(losses);
    }

    /** Pixel AUROC of the fused map on flat painted rectangles (a defect shape no synthesis draws). */
    private static double pixelAuroc(Path model, List<RgbImage> tests) throws IOException {
        Random rng = new Random(99);
        int plane = 64 * 64;
        float[] fused = new float[tests.size() * plane];
        boolean[] labels = new boolean[fused.length];
        try (Inspector inspector = Inspector.open(model, teacher)) {
            for (int i = 0; i < tests.size(); i++) {
                TrainingPair defect = TestImages.paintRectangle(tests.get(i), rng);
                AnomalyMaps maps = inspector.inspect(defect.augmented());
                System.arraycopy(maps.fused(), 0, fused, i * plane, plane);
                System.arraycopy(defect.mask().toBooleans(), 0, labels, i * plane, plane);
            }
        }
        return Auroc.compute(fused, labels).value();
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
