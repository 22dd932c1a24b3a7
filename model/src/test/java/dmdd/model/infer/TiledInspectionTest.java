package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.RealTeacher;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.metrics.Auroc;
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
 * Camera-resolution tiling finds what a whole-image model cannot: on 1024 x 1024 fabric images, a 2 x 2 px
 * pit is a 1/16 px speck once the whole image is shrunk to a 64 px input, but it is 2 px in a 64 px tile at
 * native scale. Same settings, teacher and steps for both models; only {@code inspectionScale} differs.
 * The surface is smooth paint with a fine grain, where a 2-px pit is plain to see at full resolution.
 */
class TiledInspectionTest {
    private static final int SIDE = 1024;

    @Test
    void onlyTheTiledPipelineFindsATwoPixelDefectInA1024PixelImage(@TempDir Path dir) throws IOException {
        DjlRuntime.engine();
        DmddSettings whole = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 4,
                "studentWidth", 16, "segmenterWidth", 16, "studentSteps", 150, "segmenterSteps", 100,
                "asppRates", List.of(2, 4), "validationFraction", 0.25, "threads", 1, "topK", 10))
                .with("gaussianSigma", 1.0).with("tileOverlap", 0.25)
                // One pass per tile: the mirrored views and shifts are another subject (InspectionViewsTest), and
                // eight passes over some 440 tiles an image cost this test two minutes.
                .with("inspectionViews", 1).with("inspectionShifts", 1)
                // Tiling is independent of the method; the single-branch distillation keeps this test fast
                // and free of the segmentation network's own quality (the quality issue's subject).
                .with("method", "baseline");
        DmddSettings tiled = whole.with("inspectionScale", 1.0);
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
            int x = 100 + 211 * i;
            int y = 880 - 190 * i;
            pits.add(new int[] {x, y});
            tests.add(PaintedSurface.withPit(PaintedSurface.of(SIDE, 300 + i), x, y));
        }
        boolean[] defective = {false, false, false, false, true, true, true, true};
        try (NDManager manager = NDManager.newBaseManager()) {
            Backbone teacher = RealTeacher.mobileNetV2(manager);
            TrainingJob.run(whole, normals, teacher, dir.resolve("whole"), null, null, false);
            TrainingJob.run(tiled, normals, teacher, dir.resolve("tiled"), null, null, false);
            float[] wholeScores = new float[tests.size()];
            float[] tiledScores = new float[tests.size()];
            List<AnomalyMaps> tiledMaps;
            try (Inspector w = Inspector.open(dir.resolve("whole"), teacher);
                 Inspector t = Inspector.open(dir.resolve("tiled"), teacher)) {
                List<AnomalyMaps> wholeMaps = w.inspect(tests);
                tiledMaps = t.inspect(tests);
                // Progress inside one tiled image rises batch by batch to 1 (the workstation's bar follows it).
                List<Double> fractions = new ArrayList<>();
                t.inspectPictures(List.of(tests.get(0)), (picture, fraction) -> fractions.add(fraction));
                assertThat(fractions).hasSizeGreaterThan(10).isSorted().last().isEqualTo(1.0);
                // A stop asked for while a camera picture is inspected ends the run between its tiles, not after a
                // batch of frames that takes longer than Ctrl-C waits.
                Path frame = dir.resolve("frame.png");
                dmdd.datasets.image.ImageWriter.writePng(tests.get(4).toBufferedImage(), frame);
                java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
                List<Path> inspected = new ArrayList<>();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> dmdd.model.pipeline.InspectionPipeline.of(t)
                        .inspectFiles(List.of(frame, frame), 256, new dmdd.model.pipeline.InspectionPipeline.Receiver() {
                            @Override
                            public void inspected(dmdd.model.pipeline.Inspection inspection) {
                                inspected.add(inspection.file());
                            }

                            @Override
                            public void failed(Path file, IOException reason) {
                                inspected.add(file);
                            }
                        }, () -> polls.incrementAndGet() > 3))
                        .isInstanceOf(java.util.concurrent.CancellationException.class);
                assertThat(inspected).isEmpty();
                assertThat(polls.get()).isEqualTo(4);
                // A camera picture whose full-size maps do not fit in memory (here: memory running out while its
                // tiles are inspected) fails by name; the run goes on with the next picture.
                java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
                java.util.Map<Path, String> failures = new java.util.LinkedHashMap<>();
                List<Path> done = new ArrayList<>();
                Path second = dir.resolve("second.png");
                java.nio.file.Files.copy(frame, second);
                dmdd.model.pipeline.InspectionPipeline.of(t).inspectFiles(List.of(frame, second), 256,
                        new dmdd.model.pipeline.InspectionPipeline.Receiver() {
                            @Override
                            public void inspected(dmdd.model.pipeline.Inspection inspection) {
                                done.add(inspection.file());
                            }

                            @Override
                            public void failed(Path file, IOException reason) {
                                failures.put(file, reason.getMessage());
                            }
                        }, () -> {
                            if (calls.incrementAndGet() == 2) { // the first poll between the first picture's tiles
                                throw new OutOfMemoryError("Java heap space");
                            }
                            return false;
                        });
                // A tiled score grows with the picture's area: a picture far smaller (or larger) than the normal
                // images the thresholds were fitted on is said to be judged on another footing.
                assertThat(ModelFolder.read(dir.resolve("tiled")).training().calibrationPixels())
                        .isEqualTo((long) SIDE * SIDE);
                Path quarter = dir.resolve("quarter.png");
                dmdd.datasets.image.ImageWriter.writePng(tests.get(0).crop(0, 0, SIDE / 2, SIDE / 2)
                        .toBufferedImage(), quarter);
                dmdd.model.pipeline.InspectionPipeline pipeline = dmdd.model.pipeline.InspectionPipeline.of(t);
                assertThat(pipeline.inspect(quarter, 256).warning()).contains("is 512 x 512 px, 0.25 of the area")
                        .contains("about 1024 x 1024 px").contains("more misses");
                assertThat(pipeline.inspect(frame, 256).warning()).isNull();
                assertThat(failures).containsOnlyKeys(frame);
                assertThat(failures.get(frame)).contains("frame.png").contains("too large to inspect")
                        .contains("1024 x 1024 px").contains("-Xmx");
                assertThat(done).containsExactly(second);
                for (int i = 0; i < tests.size(); i++) {
                    wholeScores[i] = (float) wholeMaps.get(i).score();
                    tiledScores[i] = (float) tiledMaps.get(i).score();
                }
            }
            double wholeAuroc = Auroc.compute(wholeScores, defective).value();
            double tiledAuroc = Auroc.compute(tiledScores, defective).value();
            System.out.printf("2-px pits in 1024 px images: image AUROC tiled %.3f, whole image at 64 px %.3f%n",
                    tiledAuroc, wholeAuroc);
            assertThat(tiledAuroc).isEqualTo(1.0);
            assertThat(wholeAuroc).isLessThanOrEqualTo(0.75);
            // The stitched fused map, at the image's full resolution, peaks at the pit.
            for (int i = 0; i < pits.size(); i++) {
                AnomalyMaps m = tiledMaps.get(4 + i);
                assertThat(m.width()).isEqualTo(SIDE);
                int peak = PaintedSurface.argmax(m.fused());
                int px = peak % SIDE;
                int py = peak / SIDE;
                assertThat(Math.hypot(px - pits.get(i)[0], py - pits.get(i)[1])).as("peak of image %d", i)
                        .isLessThan(12);
            }
        }
    }
}
