package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.RealTeacher;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.metrics.Auroc;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.Backbone;
import dmdd.model.train.TrainingJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspectionZoom}: the whole image is inspected larger than the training input, in tiles of the input's
 * size, and training cuts input-sized crops from the normal images at that size. On 256 px images a 2 x 2 px pit is
 * half a pixel once the image is shrunk to a 64 px input, and still 2 px when the 64 px model inspects it at 256 px
 * (zoom 4), where its map localises it to the pixel. Same settings, teacher, steps and input size for both models;
 * only the zoom differs. (On this smooth surface the shrunk pit still stands out, so the plain model's score is
 * printed, not asserted: where the zoom wins, thin defects on busy textures, is the development benchmark's.)
 */
class ZoomedInspectionTest {
    private static final int SIDE = 256;

    @Test
    void aZoomedImageCostsOnePassPerViewOfEachTile() {
        DmddSettings d = DmddSettings.defaults();
        assertThat(d.passesPerInput()).isEqualTo(d.inspectionViews() * d.inspectionShifts());
        assertThat(InspectionPipeline.passesPerImage(d)).isEqualTo(d.passesPerInput());
        // 192 px in 128 px tiles at the default overlap: two tiles a side, four in all
        assertThat(InspectionPipeline.passesPerImage(d.with("inspectionZoom", 1.5))).isEqualTo(4 * d.passesPerInput());
        assertThat(InspectionPipeline.passesPerImage(d.with("inspectionZoom", 1.5).with("inspectionViews", 1)
                .with("inspectionShifts", 1))).isEqualTo(4);
        // camera tiling: the cost of one tile, whatever the zoom says
        assertThat(InspectionPipeline.passesPerImage(d.with("inspectionScale", 0.5).with("inspectionZoom", 1.5)))
                .isEqualTo(d.passesPerInput());
    }

    @Test
    void aZoomedModelTrainsOnCropsAndFindsATwoPixelPitAtFourTimesItsInputSize(@TempDir Path dir) throws IOException {
        DjlRuntime.engine();
        DmddSettings plain = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 4,
                "studentWidth", 16, "studentSteps", 200, "validationFraction", 0.25, "threads", 1, "topK", 10,
                "inspectionViews", 1, "inspectionShifts", 1, "gaussianSigma", 1.0))
                // The zoom is independent of the method; the single-branch distillation keeps this test fast.
                .with("method", "baseline");
        DmddSettings zoomed = plain.with("inspectionZoom", 4.0);
        assertThat(zoomed.zoomedSide()).isEqualTo(SIDE);
        List<RgbImage> normals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            normals.add(PaintedSurface.of(SIDE, 100 + i));
        }
        List<RgbImage> tests = new ArrayList<>();
        List<int[]> pits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tests.add(PaintedSurface.of(SIDE, 200 + i));
        }
        for (int i = 0; i < 4; i++) {
            int x = 40 + 53 * i;
            int y = 210 - 47 * i;
            pits.add(new int[] {x, y});
            tests.add(PaintedSurface.withPit(PaintedSurface.of(SIDE, 300 + i), x, y));
        }
        boolean[] defective = {false, false, false, false, true, true, true, true};
        try (NDManager manager = NDManager.newBaseManager()) {
            Backbone teacher = RealTeacher.mobileNetV2(manager);
            TrainingJob.run(plain, normals, teacher, dir.resolve("plain"), null, null, false);
            TrainingJob.run(zoomed, normals, teacher, dir.resolve("zoomed"), null, null, false);
            float[] plainScores = new float[tests.size()];
            float[] zoomedScores = new float[tests.size()];
            List<AnomalyMaps> zoomedMaps;
            try (Inspector p = Inspector.open(dir.resolve("plain"), teacher);
                 Inspector z = Inspector.open(dir.resolve("zoomed"), teacher)) {
                // the zoomed model's maps cover the whole image at four times the training input, in tiles of it
                assertThat(z.preprocessing().side()).isEqualTo(64);
                assertThat(z.inspectPictures(tests.subList(0, 1), null).get(0).width()).isEqualTo(SIDE);
                assertThat(p.inspectPictures(tests.subList(0, 1), null).get(0).width()).isEqualTo(64);
                List<AnomalyMaps> plainMaps = p.inspect(tests);
                zoomedMaps = z.inspect(tests);
                for (int i = 0; i < tests.size(); i++) {
                    plainScores[i] = (float) plainMaps.get(i).score();
                    zoomedScores[i] = (float) zoomedMaps.get(i).score();
                }
            }
            double plainAuroc = Auroc.compute(plainScores, defective).value();
            double zoomedAuroc = Auroc.compute(zoomedScores, defective).value();
            System.out.printf("2-px pits in 256 px images, 64 px model: image AUROC zoom 4 %.3f, zoom 1 %.3f%n",
                    zoomedAuroc, plainAuroc);
            assertThat(zoomedAuroc).isEqualTo(1.0);
            for (int i = 0; i < pits.size(); i++) {
                AnomalyMaps m = zoomedMaps.get(4 + i);
                int peak = PaintedSurface.argmax(m.fused());
                assertThat(Math.hypot(peak % m.width() - pits.get(i)[0], peak / m.width() - pits.get(i)[1]))
                        .as("peak of image %d", i).isLessThan(4);
            }
        }
    }
}
