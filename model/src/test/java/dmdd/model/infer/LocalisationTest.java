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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small, fast version of the evidence benchmark: DMDD with the real ImageNet MobileNetV2
 * teacher, trained for a few hundred steps on 64 x 64 crops of a real texture with the production
 * anomaly synthesis, must localise obvious defects it never saw (flat painted rectangles).
 */
class LocalisationTest {

    @Test
    void dmddLocalisesAnObviousDefectOnARealTexture(@TempDir Path dir) throws IOException {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 4,
                "studentWidth", 16, "segmenterWidth", 16, "studentSteps", 150, "segmenterSteps", 150,
                "asppRates", List.of(2, 4), "validationFraction", 0.2, "threads", 1, "topK", 20));
        List<RgbImage> normals = RealTeacher.crops("gravel.png", 20, 128, 64, 1);
        List<RgbImage> tests = RealTeacher.crops("gravel.png", 8, 128, 64, 2);
        List<Double> firstLosses = new ArrayList<>();
        List<Double> lastLosses = new ArrayList<>();
        TrainingListener losses = new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                if (p.stage() == 1 && p.stageStep() <= 10) {
                    firstLosses.add(p.losses().get("total"));
                } else if (p.stage() == 1 && p.stageStep() > 140) {
                    lastLosses.add(p.losses().get("total"));
                }
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            Backbone teacher = RealTeacher.mobileNetV2(manager);
            TrainingResult r = TrainingJob.run(settings, normals, teacher, dir, losses, null, false);
            assertThat(r.completed()).isTrue();
            assertThat(mean(lastLosses)).isLessThan(0.8 * mean(firstLosses));

            Random rng = new Random(99);
            int plane = 64 * 64;
            float[] fused = new float[tests.size() * plane];
            float[] normality = new float[fused.length];
            float[] abnormality = new float[fused.length];
            boolean[] labels = new boolean[fused.length];
            try (Inspector inspector = Inspector.open(dir, teacher)) {
                for (int i = 0; i < tests.size(); i++) {
                    TrainingPair defect = TestImages.paintRectangle(tests.get(i), rng);
                    AnomalyMaps maps = inspector.inspect(defect.augmented());
                    System.arraycopy(maps.fused(), 0, fused, i * plane, plane);
                    System.arraycopy(maps.normality(), 0, normality, i * plane, plane);
                    System.arraycopy(maps.abnormality(), 0, abnormality, i * plane, plane);
                    System.arraycopy(defect.mask().toBooleans(), 0, labels, i * plane, plane);
                }
            }
            double aurocFused = Auroc.compute(fused, labels).value();
            System.out.printf("pixel AUROC: fused %.3f, normality %.3f, abnormality %.3f%n", aurocFused,
                    Auroc.compute(normality, labels).value(), Auroc.compute(abnormality, labels).value());
            assertThat(aurocFused).isGreaterThan(0.85);
        }
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
