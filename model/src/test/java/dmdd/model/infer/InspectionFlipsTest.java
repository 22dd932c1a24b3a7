package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TinyBackbone;
import dmdd.model.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code inspectionFlips}: an image inspected with mirrored views gets the average of what its views get alone,
 * each map mirrored back, and its score from that averaged map.
 */
class InspectionFlipsTest {
    private static final int SIDE = 32;

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theMapsAreTheViewsMapsMirroredBackAndAveraged(int flips) {
        DjlRuntime.engine();
        DmddSettings plain = DmddSettings.defaults().with(Map.of("imageSize", SIDE, "studentWidth", 8,
                "segmenterWidth", 8, "topK", 10));
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            DmddNetworks one = DmddNetworks.create(plain, teacher.levelChannels(), manager);
            DmddNetworks viewed = DmddNetworks.create(plain.with("inspectionFlips", flips), teacher.levelChannels(),
                    manager);
            Map<String, NDArray> weights = new HashMap<>();
            one.weights().forEach(a -> weights.put(a.getName(), a));
            viewed.load(weights);

            RgbImage image = randomImage(new Random(5));
            List<RgbImage> views = new ArrayList<>(List.of(image, mirror(image, true, false)));
            if (flips == 3) {
                views.add(mirror(image, false, true));
                views.add(mirror(image, true, true));
            }
            List<NetworkMaps> alone = Inspector.of(one, teacher, null).inspectInputs(views);
            NetworkMaps averaged = Inspector.of(viewed, teacher, null).inspectInputs(List.of(image)).get(0);

            float[] expectFused = new float[SIDE * SIDE];
            float[] expectNormality = new float[SIDE * SIDE];
            boolean[][] mirrors = {{false, false}, {true, false}, {false, true}, {true, true}};
            for (int v = 0; v < views.size(); v++) {
                addMirrored(expectFused, alone.get(v).fused(), mirrors[v], views.size());
                addMirrored(expectNormality, alone.get(v).normality(), mirrors[v], views.size());
            }
            for (int i = 0; i < expectFused.length; i++) {
                assertThat(averaged.fused()[i]).as("fused pixel %d", i).isCloseTo(expectFused[i], within(1e-4f));
                assertThat(averaged.normality()[i]).as("normality pixel %d", i)
                        .isCloseTo(expectNormality[i], within(1e-4f));
            }
            assertThat(averaged.score()).isCloseTo(FloatMaps.topKMean(expectFused, 10), within(1e-4));
            // the views do differ: random networks are not mirror-symmetric, so averaging changed the map
            assertThat(maxDifference(averaged.fused(), alone.get(0).fused())).isGreaterThan(1e-3f);
        }
    }

    @Test
    void onlyNoneOneOrThreeMirroredViews() {
        for (int bad : new int[] {2, 4, -1}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DmddSettings.defaults().with("inspectionFlips", bad))
                    .hasMessageContaining("inspectionFlips must be 0, 1 or 3");
        }
    }

    private static void addMirrored(float[] sum, float[] map, boolean[] mirror, int views) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sx = mirror[0] ? SIDE - 1 - x : x;
                int sy = mirror[1] ? SIDE - 1 - y : y;
                sum[y * SIDE + x] += map[sy * SIDE + sx] / views;
            }
        }
    }

    private static RgbImage mirror(RgbImage image, boolean leftRight, boolean upDown) {
        float[] chw = new float[3 * SIDE * SIDE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    chw[(c * SIDE + y) * SIDE + x] = image.get(c, leftRight ? SIDE - 1 - x : x, upDown ? SIDE - 1 - y : y);
                }
            }
        }
        return RgbImage.of(SIDE, SIDE, chw);
    }

    private static RgbImage randomImage(Random random) {
        float[] chw = new float[3 * SIDE * SIDE];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        return RgbImage.of(SIDE, SIDE, chw);
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
