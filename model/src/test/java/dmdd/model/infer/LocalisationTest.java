package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.RealTeacher;
import dmdd.model.dmdd.TestImages;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.metrics.Auroc;
import dmdd.model.teacher.Backbone;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The small, fast version of the evidence benchmark: DMDD with the real ImageNet MobileNetV2
 * teacher, trained for a few hundred steps on 64 x 64 crops of a real texture with the production
 * anomaly synthesis, must localise obvious defects it never saw: flat painted rectangles, and thin straight
 * scratches, where the fused map must beat both branch maps (what DMDD's segmentation network is for).
 */
class LocalisationTest {
    private static NDManager manager;
    private static Backbone teacher;
    private static Path model;
    private static final List<Double> FIRST_LOSSES = new ArrayList<>();
    private static final List<Double> LAST_LOSSES = new ArrayList<>();

    @BeforeAll
    static void trainOnce() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = RealTeacher.mobileNetV2(manager);
        model = Files.createTempDirectory("dmdd-localisation");
        // 600 segmentation steps, not 400: with 400 the thin-scratch margin over 0.85 and over the branch maps fell
        // to 0.004 for one seed in eight (seeds 1-8: 0.854-0.954); with 600 it is 0.909-0.957 (branch maps <= 0.856).
        DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 4,
                "studentWidth", 16, "segmenterWidth", 32, "studentSteps", 150, "segmenterSteps", 600,
                "asppRates", List.of(2, 4), "validationFraction", 0.2, "threads", 1, "topK", 20));
        List<RgbImage> normals = RealTeacher.crops("gravel.png", 20, 128, 64, 1);
        TrainingListener losses = new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                if (p.stage() == 1 && p.stageStep() <= 10) {
                    FIRST_LOSSES.add(p.losses().get("total"));
                } else if (p.stage() == 1 && p.stageStep() > 140) {
                    LAST_LOSSES.add(p.losses().get("total"));
                }
            }
        };
        TrainingResult r = TrainingJob.run(settings, normals, teacher, model, losses, null, false);
        assertThat(r.completed()).isTrue();
    }

    @AfterAll
    static void close() throws IOException {
        manager.close();
        try (var walk = Files.walk(model)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void dmddLearnsAndLocalisesAnObviousDefectOnARealTexture() throws IOException {
        assertThat(mean(LAST_LOSSES)).isLessThan(0.8 * mean(FIRST_LOSSES));
        double[] auroc = pixelAurocs(TestImages::paintRectangle);
        System.out.printf("rectangles, pixel AUROC: fused %.3f, normality %.3f, abnormality %.3f%n", auroc[0],
                auroc[1], auroc[2]);
        assertThat(auroc[0]).isGreaterThan(0.85);
    }

    @Test
    void theFusedMapBeatsBothBranchMapsOnAThinScratch() throws IOException {
        double[] auroc = pixelAurocs(TestImages::paintThinLine);
        System.out.printf("thin scratches, pixel AUROC: fused %.3f, normality %.3f, abnormality %.3f%n", auroc[0],
                auroc[1], auroc[2]);
        assertThat(auroc[0]).isGreaterThan(0.85);
        assertThat(auroc[0]).isGreaterThan(Math.max(auroc[1], auroc[2]));
    }

    /** Pixel AUROC of the fused, normality and abnormality maps over eight held-out crops with one defect each. */
    private static double[] pixelAurocs(BiFunction<RgbImage, Random, TrainingPair> defects) throws IOException {
        List<RgbImage> tests = RealTeacher.crops("gravel.png", 8, 128, 64, 2);
        Random rng = new Random(99);
        int plane = 64 * 64;
        float[] fused = new float[tests.size() * plane];
        float[] normality = new float[fused.length];
        float[] abnormality = new float[fused.length];
        boolean[] labels = new boolean[fused.length];
        try (Inspector inspector = Inspector.open(model, teacher)) {
            for (int i = 0; i < tests.size(); i++) {
                TrainingPair defect = defects.apply(tests.get(i), rng);
                AnomalyMaps maps = inspector.inspect(defect.augmented());
                System.arraycopy(maps.fused(), 0, fused, i * plane, plane);
                System.arraycopy(maps.normality(), 0, normality, i * plane, plane);
                System.arraycopy(maps.abnormality(), 0, abnormality, i * plane, plane);
                System.arraycopy(defect.mask().toBooleans(), 0, labels, i * plane, plane);
            }
        }
        return new double[] {Auroc.compute(fused, labels).value(), Auroc.compute(normality, labels).value(),
                Auroc.compute(abnormality, labels).value()};
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
