package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
 * {@code inspectionViews} and {@code inspectionShifts}: an image inspected in several orientations and positions
 * gets the average of what its views get alone, each map turned and moved back, and its score from that averaged map.
 */
class InspectionViewsTest {
    private static final int SIDE = 32;

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void theMapsAreTheViewsMapsTurnedBackAndAveraged(int views) {
        DjlRuntime.engine();
        DmddSettings plain = DmddSettings.defaults().with(Map.of("imageSize", SIDE, "studentWidth", 8,
                "segmenterWidth", 8, "topK", 10, "inspectionViews", 1, "inspectionShifts", 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            DmddNetworks one = DmddNetworks.create(plain, teacher.levelChannels(), manager);
            DmddNetworks several = withWeightsOf(one, plain.with("inspectionViews", views), teacher, manager);

            RgbImage image = randomImage(new Random(5));
            List<RgbImage> viewed = new ArrayList<>();
            for (int v = 0; v < views; v++) {
                viewed.add(RgbImage.of(SIDE, SIDE, view(image.chw(), 3, v)));
            }
            List<NetworkMaps> alone = Inspector.of(one, teacher, null).inspectInputs(viewed);
            NetworkMaps averaged = Inspector.of(several, teacher, null).inspectInputs(List.of(image)).get(0);

            float[] fused = new float[SIDE * SIDE];
            float[] normality = new float[SIDE * SIDE];
            float[] abnormality = new float[SIDE * SIDE];
            for (int v = 0; v < views; v++) {
                add(fused, unview(alone.get(v).fused(), v), views);
                add(normality, unview(alone.get(v).normality(), v), views);
                add(abnormality, unview(alone.get(v).abnormality(), v), views);
            }
            for (int i = 0; i < fused.length; i++) {
                assertThat(averaged.fused()[i]).as("fused pixel %d", i).isCloseTo(fused[i], within(1e-4f));
                assertThat(averaged.normality()[i]).as("normality pixel %d", i).isCloseTo(normality[i], within(1e-4f));
                assertThat(averaged.abnormality()[i]).as("abnormality pixel %d", i)
                        .isCloseTo(abnormality[i], within(1e-4f));
            }
            assertThat(averaged.score()).isCloseTo(FloatMaps.topKMean(fused, 10), within(1e-4));
            // random networks answer differently in each orientation, so the average is not the first view's map
            assertThat(maxDifference(averaged.fused(), alone.get(0).fused())).isGreaterThan(1e-3f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void shiftedViewsAreMovedBackByHalfACellAndAveragedWithEveryOrientation(int shifts) {
        DjlRuntime.engine();
        DmddSettings plain = DmddSettings.defaults().with(Map.of("imageSize", SIDE, "studentWidth", 8,
                "segmenterWidth", 8, "topK", 10, "inspectionViews", 1, "inspectionShifts", 1, "gaussianSigma", 1.0));
        int orientations = 2;
        int[][] moves = {{0, 0}, {2, 2}, {2, 0}, {0, 2}}; // right, down: half a stride-4 cell
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            DmddNetworks one = DmddNetworks.create(plain, teacher.levelChannels(), manager);
            DmddNetworks several = withWeightsOf(one, plain.with(Map.of("inspectionViews", orientations,
                    "inspectionShifts", shifts)), teacher, manager);

            RgbImage image = randomImage(new Random(6));
            List<RgbImage> viewed = new ArrayList<>();
            for (int s = 0; s < shifts; s++) {
                for (int v = 0; v < orientations; v++) {
                    viewed.add(RgbImage.of(SIDE, SIDE, view(move(image.chw(), 3, moves[s][0], moves[s][1]), 3, v)));
                }
            }
            List<NetworkMaps> alone = Inspector.of(one, teacher, null).inspectInputs(viewed);
            NetworkMaps averaged = Inspector.of(several, teacher, null).inspectInputs(List.of(image)).get(0);

            int views = orientations * shifts;
            float[] fused = new float[SIDE * SIDE];
            float[] normality = new float[SIDE * SIDE];
            for (int s = 0; s < shifts; s++) {
                for (int v = 0; v < orientations; v++) {
                    NetworkMaps m = alone.get(s * orientations + v);
                    add(fused, move(unview(m.fused(), v), 1, -moves[s][0], -moves[s][1]), views);
                    add(normality, move(unview(m.normality(), v), 1, -moves[s][0], -moves[s][1]), views);
                }
            }
            for (int i = 0; i < fused.length; i++) {
                assertThat(averaged.fused()[i]).as("fused pixel %d", i).isCloseTo(fused[i], within(1e-4f));
            }
            // the branch maps are blurred after the views are averaged, which moving back changes at the edges only
            for (int y = 5; y < SIDE - 5; y++) {
                for (int x = 5; x < SIDE - 5; x++) {
                    assertThat(averaged.normality()[y * SIDE + x]).as("normality pixel %d, %d", x, y)
                            .isCloseTo(normality[y * SIDE + x], within(1e-4f));
                }
            }
            assertThat(averaged.score()).isCloseTo(FloatMaps.topKMean(fused, 10), within(1e-4));
            assertThat(plain.with("inspectionShifts", shifts).passesPerInput()).isEqualTo(shifts);
        }
    }

    /**
     * {@code backRows}, {@code backColumns} and {@code swaps} (what the branch maps' matrices are made from) move each
     * view back exactly as {@code average} does: a stack whose only non-zero map is view k's averages to that map
     * moved back, divided by the number of views.
     */
    @Test
    void theIndexMapsMoveEachViewBackAsTheAverageDoes() {
        DjlRuntime.engine();
        int side = 12;
        Random random = new Random(9);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int orientations : new int[] {1, 2, 4, 8}) {
                for (int shifts : new int[] {1, 2, 4}) {
                    InspectionViews views = new InspectionViews(orientations, shifts);
                    int count = views.count();
                    for (int k = 0; k < count; k++) {
                        float[] stack = new float[count * side * side];
                        float[] map = new float[side * side];
                        for (int i = 0; i < map.length; i++) {
                            map[i] = random.nextFloat();
                        }
                        System.arraycopy(map, 0, stack, k * side * side, map.length);
                        float[] averaged = views.average(manager.create(stack, new Shape(count, side, side)))
                                .toFloatArray();
                        int[] rows = views.backRows(k, side);
                        int[] columns = views.backColumns(k, side);
                        for (int y = 0; y < side; y++) {
                            for (int x = 0; x < side; x++) {
                                float expected = views.swaps(k) ? map[columns[x] * side + rows[y]]
                                        : map[rows[y] * side + columns[x]];
                                assertThat(averaged[y * side + x] * count).as("%d x %d views, view %d, pixel %d, %d",
                                        orientations, shifts, k, x, y).isCloseTo(expected, within(1e-6f));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void onlyOneTwoOrFourShifts() {
        for (int bad : new int[] {0, 3, 8}) {
            assertThatThrownBy(() -> DmddSettings.defaults().with("inspectionShifts", bad))
                    .hasMessageContaining("inspectionShifts must be 1, 2 or 4");
        }
    }

    @Test
    void onlyOneTwoFourOrEightViews() {
        for (int bad : new int[] {0, 3, 5, 16}) {
            assertThatThrownBy(() -> DmddSettings.defaults().with("inspectionViews", bad))
                    .hasMessageContaining("inspectionViews must be 1, 2, 4 or 8");
        }
    }

    /** Networks of other inspection settings that compute what {@code one} computes (the same weights). */
    private static DmddNetworks withWeightsOf(DmddNetworks one, DmddSettings settings, TinyBackbone teacher,
            NDManager manager) {
        DmddNetworks networks = DmddNetworks.create(settings, teacher.levelChannels(), manager);
        Map<String, NDArray> weights = new HashMap<>();
        one.weights().forEach(a -> weights.put(a.getName(), a));
        networks.load(weights);
        return networks;
    }

    /** View v of square planes, by hand: rows and columns swapped if bit 2, then mirrored left-right (bit 0), up-down (bit 1). */
    private static float[] view(float[] planes, int count, int v) {
        float[] out = new float[planes.length];
        for (int c = 0; c < count; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int sx = (v & 1) != 0 ? SIDE - 1 - x : x;
                    int sy = (v & 2) != 0 ? SIDE - 1 - y : y;
                    int from = (v & 4) != 0 ? sx * SIDE + sy : sy * SIDE + sx;
                    out[c * SIDE * SIDE + y * SIDE + x] = planes[c * SIDE * SIDE + from];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #view} for one plane: where view v put pixel (x, y), take it back from. */
    private static float[] unview(float[] map, int v) {
        float[] out = new float[map.length];
        float[] index = new float[map.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        float[] moved = view(index, 1, v); // moved[j] = the original pixel shown at j
        for (int j = 0; j < map.length; j++) {
            out[(int) moved[j]] = map[j];
        }
        return out;
    }

    /** Square planes moved right by dx and down by dy pixels (negative: back), the uncovered edge repeated. */
    private static float[] move(float[] planes, int count, int dx, int dy) {
        float[] out = new float[planes.length];
        for (int c = 0; c < count; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int sx = Math.min(SIDE - 1, Math.max(0, x - dx));
                    int sy = Math.min(SIDE - 1, Math.max(0, y - dy));
                    out[c * SIDE * SIDE + y * SIDE + x] = planes[c * SIDE * SIDE + sy * SIDE + sx];
                }
            }
        }
        return out;
    }

    private static void add(float[] sum, float[] map, int views) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += map[i] / views;
        }
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
