package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.DjlRuntime;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The branch maps as matrix products equal the chain they replace, step by step: libtorch's bilinear up-sampling
 * of each level map, their sum, the views moved back and averaged, the Gaussian blur.
 */
class BranchMapAssemblerTest {
    private static final int SIDE = 32;
    /** DJL's code for bilinear interpolation, as the networks' resize uses it. */
    private static final int BILINEAR = 1;

    private static final int[][] SQUARE = {{8, 8}, {4, 4}, {2, 2}};
    /** Level maps wider than high: a swapped view must transpose them before its right matrix. */
    private static final int[][] WIDE = {{8, 16}, {4, 8}, {2, 4}};

    static Stream<Arguments> viewsShiftsSigmasAndLevels() {
        return Stream.of(Arguments.of(1, 1, 0.0, SQUARE), Arguments.of(1, 1, 1.5, SQUARE),
                Arguments.of(4, 2, 1.5, SQUARE), Arguments.of(8, 4, 1.5, SQUARE), Arguments.of(8, 1, 0.0, SQUARE),
                Arguments.of(2, 4, 4.0, SQUARE), Arguments.of(8, 2, 1.5, WIDE));
    }

    @ParameterizedTest(name = "{0} orientations, {1} shifts, sigma {2}")
    @MethodSource("viewsShiftsSigmasAndLevels")
    void equalsUpSamplingSummingAveragingTheViewsAndBlurring(int orientations, int shifts, double sigma,
            int[][] levelSizes) {
        DjlRuntime.engine();
        InspectionViews views = new InspectionViews(orientations, shifts);
        int n = 2;
        Random random = new Random(orientations * 31 + shifts);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList levels = randomLevels(manager, views.count() * n, levelSizes, random);
            float[] assembled = new BranchMapAssembler(views, SIDE, sigma).assemble(levels).toFloatArray();

            NDArray summed = null;
            for (NDArray level : levels) {
                NDArray up = level.expandDims(1).getNDArrayInternal()
                        .interpolation(new long[] {SIDE, SIDE}, BILINEAR, false).squeeze(1);
                summed = summed == null ? up : summed.add(up);
            }
            float[] averaged = views.average(summed).toFloatArray();
            assertThat(assembled).hasSize(n * SIDE * SIDE);
            double largest = 0;
            for (int i = 0; i < n; i++) {
                float[] expected = blurred(Arrays.copyOfRange(averaged, i * SIDE * SIDE,
                        (i + 1) * SIDE * SIDE), sigma);
                for (int p = 0; p < expected.length; p++) {
                    largest = Math.max(largest, Math.abs(assembled[i * SIDE * SIDE + p] - expected[p]));
                }
            }
            assertThat(largest).as("largest difference").isLessThan(1e-5);
        }
    }

    /**
     * The per-level methods make one branch map from the fine level and the other from the two coarse ones, batch
     * after batch, with one assembler: each list of level sizes gets its matrices once, and the same answer as from
     * an assembler that only ever saw it.
     */
    @Test
    void makesTheMatricesOncePerListOfLevelSizes() {
        DjlRuntime.engine();
        InspectionViews views = new InspectionViews(4, 2);
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList fine = randomLevels(manager, views.count(), new int[][] {{8, 8}}, random);
            NDList coarse = randomLevels(manager, views.count(), new int[][] {{4, 4}, {2, 2}}, random);
            float[] fineAlone = new BranchMapAssembler(views, SIDE, 1.5).assemble(fine).toFloatArray();
            float[] coarseAlone = new BranchMapAssembler(views, SIDE, 1.5).assemble(coarse).toFloatArray();
            BranchMapAssembler shared = new BranchMapAssembler(views, SIDE, 1.5);
            for (int batch = 0; batch < 3; batch++) {
                assertThat(shared.assemble(fine).toFloatArray()).containsExactly(fineAlone);
                assertThat(shared.assemble(coarse).toFloatArray()).containsExactly(coarseAlone);
            }
            assertThat(shared.builds()).isEqualTo(2);
        }
    }

    private static NDList randomLevels(NDManager manager, int maps, int[][] sizes, Random random) {
        NDList levels = new NDList();
        for (int[] size : sizes) {
            float[] values = new float[maps * size[0] * size[1]];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat() * 2;
            }
            levels.add(manager.create(values, new Shape(maps, size[0], size[1])));
        }
        return levels;
    }

    /** {@code G P G^T} by the blur's own row pass, applied to the plane and to its transpose. */
    private static float[] blurred(float[] plane, double sigma) {
        float[] down = BranchMapAssembler.transposed(GaussianBlur.alongRows(plane, SIDE, sigma), SIDE, SIDE);
        return BranchMapAssembler.transposed(GaussianBlur.alongRows(down, SIDE, sigma), SIDE, SIDE);
    }
}
