package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.DjlRuntime;
import java.util.Random;
import java.util.stream.Stream;
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

    static Stream<Arguments> viewsShiftsAndSigmas() {
        return Stream.of(Arguments.of(1, 1, 0.0), Arguments.of(1, 1, 1.5), Arguments.of(4, 2, 1.5),
                Arguments.of(8, 4, 1.5), Arguments.of(8, 1, 0.0), Arguments.of(2, 4, 4.0));
    }

    @ParameterizedTest(name = "{0} orientations, {1} shifts, sigma {2}")
    @MethodSource("viewsShiftsAndSigmas")
    void equalsUpSamplingSummingAveragingTheViewsAndBlurring(int orientations, int shifts, double sigma) {
        DjlRuntime.engine();
        InspectionViews views = new InspectionViews(orientations, shifts);
        int n = 2;
        Random random = new Random(orientations * 31 + shifts);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList levels = new NDList();
            for (int size : new int[] {8, 4, 2}) {
                float[] values = new float[views.count() * n * size * size];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextFloat() * 2;
                }
                levels.add(manager.create(values, new Shape(views.count() * n, size, size)));
            }
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
                float[] expected = blurred(java.util.Arrays.copyOfRange(averaged, i * SIDE * SIDE,
                        (i + 1) * SIDE * SIDE), sigma);
                for (int p = 0; p < expected.length; p++) {
                    largest = Math.max(largest, Math.abs(assembled[i * SIDE * SIDE + p] - expected[p]));
                }
            }
            assertThat(largest).as("largest difference").isLessThan(1e-5);
            // a second batch of other sizes gets its own matrices
            NDList coarser = new NDList(levels.get(1), levels.get(2));
            float[] again = new BranchMapAssembler(views, SIDE, sigma).assemble(coarser).toFloatArray();
            BranchMapAssembler reused = new BranchMapAssembler(views, SIDE, sigma);
            reused.assemble(levels);
            assertThat(reused.assemble(coarser).toFloatArray()).containsExactly(again);
        }
    }

    /** {@code G P G^T} by the blur's own row pass, applied to the plane and to its transpose. */
    private static float[] blurred(float[] plane, double sigma) {
        float[] down = GaussianBlur.alongRows(plane, SIDE, sigma);
        return transposed(GaussianBlur.alongRows(transposed(down), SIDE, sigma));
    }

    private static float[] transposed(float[] m) {
        float[] out = new float[m.length];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                out[c * SIDE + r] = m[r * SIDE + c];
            }
        }
        return out;
    }
}
