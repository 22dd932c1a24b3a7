package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.BilinearResize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes a branch map from its levels' distance maps as two matrix products per level and view. The branch map is
 * each level's map up-sampled bilinearly to the input side and summed, moved back from each inspection view and
 * averaged ({@link InspectionViews#average}), then blurred ({@link GaussianBlur}): every step is linear and acts on
 * rows and columns separately, so for level {@code l} in view {@code k} the whole chain is {@code A D B^T}, with
 * {@code A} = blur x move back x up-sampling along the rows (side x h) and {@code B} the same along the columns
 * (side x w). Summing those products replaces up-sampling each one-channel level map (libtorch's generic resampling
 * kernel, slow on one channel) and blurring the full-size sum: at 256 px and one view a branch map takes 8.7 million
 * multiply-adds, where the blur's two side x side products alone took 33.5 million. Views that are moved back alike
 * along the rows (a left-right mirror and the image itself) share their left matrix, so their right products are
 * summed first and the left product runs once for them; views moved back alike along the columns share their right
 * matrix. The matrices are made once per list of level sizes (DMDD's two branches share one list; the per-level
 * methods' fine and coarse maps have one each).
 *
 * <p>The result equals the step-by-step chain to float rounding ({@code BranchMapAssemblerTest}). Not
 * thread-safe, like the {@link Inspector} that owns it.
 */
final class BranchMapAssembler {
    private final InspectionViews views;
    private final int side;
    private final double sigma;
    /** The matrices per list of level sizes: DMDD's two branches share one, the per-level methods use two. */
    private final Map<List<Integer>, Matrices> cache = new HashMap<>();
    private int builds;

    /**
     * @param views the inspection's views
     * @param side  the network input side, which the branch maps come back at
     * @param sigma the blur's standard deviation in input pixels; 0 for none
     */
    BranchMapAssembler(InspectionViews views, int side, double sigma) {
        this.views = views;
        this.side = side;
        this.sigma = sigma;
    }

    /**
     * @param levels one branch's level maps of a stacked batch ({@link InspectionViews#stack}'s order), each
     *               (views x N) x h x w
     * @return the branch maps, N x side x side
     */
    NDArray assemble(List<NDArray> levels) {
        int count = views.count();
        long n = levels.get(0).getShape().get(0) / count;
        Matrices m = matrices(levels);
        NDManager manager = levels.get(0).getManager();
        // for every view and level its maps times B^T (N x h x side), summed over the terms that share a left
        // matrix (views moved back alike along the rows: A (R + R') = A R + A R'), then stacked along h in the
        // order of A's column blocks, so that one product with A sums over the rest
        NDArray[] groups = new NDArray[m.groups()];
        NDArray[] rights = new NDArray[m.rightTransposed().length];
        int term = 0;
        for (int k = 0; k < count; k++) {
            for (NDArray level : levels) {
                NDArray maps = count == 1 ? level : level.get(k * n + ":" + (k + 1) * n);
                if (views.swaps(k)) {
                    maps = maps.swapAxes(1, 2);
                }
                int r = m.right()[term];
                if (rights[r] == null) {
                    rights[r] = manager.create(m.rightTransposed()[r], new Shape(maps.getShape().get(2), side));
                }
                NDArray right = maps.matMul(rights[r]);
                int g = m.group()[term];
                groups[g] = groups[g] == null ? right : groups[g].add(right);
                term++;
            }
        }
        NDArray stacked = groups.length == 1 ? groups[0] : NDArrays.concat(new NDList(groups), 1);
        return manager.create(m.left(), new Shape(side, m.leftColumns())).matMul(stacked);
    }

    private Matrices matrices(List<NDArray> levels) {
        List<Integer> sizes = new ArrayList<>(2 * levels.size());
        for (NDArray level : levels) {
            Shape s = level.getShape();
            sizes.add(Math.toIntExact(s.get(1)));
            sizes.add(Math.toIntExact(s.get(2)));
        }
        return cache.computeIfAbsent(List.copyOf(sizes), this::build);
    }

    /** @return how many times matrices were made (once per list of level sizes; for tests) */
    int builds() {
        return builds;
    }

    /**
     * A (one column block per distinct left matrix, side by side), the distinct B^T, and for each view-and-level term
     * its block of A and its B^T, for level maps of these (h, w) sizes.
     */
    private Matrices build(List<Integer> sizes) {
        builds++;
        int count = views.count();
        int levels = sizes.size() / 2;
        Map<String, Integer> blocks = new HashMap<>();
        Map<String, Integer> rightIndex = new HashMap<>();
        List<float[]> lefts = new ArrayList<>();
        List<float[]> rights = new ArrayList<>();
        int[] group = new int[count * levels];
        int[] right = new int[count * levels];
        int term = 0;
        for (int k = 0; k < count; k++) {
            int[] rows = views.backRows(k, side);
            int[] cols = views.backColumns(k, side);
            for (int l = 0; l < levels; l++) {
                // a swapped view's maps are transposed before B^T, so their rows are the level's columns
                int h = views.swaps(k) ? sizes.get(2 * l + 1) : sizes.get(2 * l);
                int w = views.swaps(k) ? sizes.get(2 * l) : sizes.get(2 * l + 1);
                group[term] = distinct(blocks, h + " " + Arrays.toString(rows), lefts, () -> {
                    float[] a = GaussianBlur.alongRows(gathered(BilinearResize.matrix(side, h), h, rows), h, sigma);
                    scale(a, 1f / count);
                    return a;
                });
                right[term] = distinct(rightIndex, w + " " + Arrays.toString(cols), rights, () -> transposed(
                        GaussianBlur.alongRows(gathered(BilinearResize.matrix(side, w), w, cols), w, sigma), side, w));
                term++;
            }
        }
        int columns = 0;
        for (float[] a : lefts) {
            columns += a.length / side;
        }
        float[] left = new float[side * columns];
        int offset = 0;
        for (float[] a : lefts) {
            int h = a.length / side;
            for (int y = 0; y < side; y++) {
                System.arraycopy(a, y * h, left, y * columns + offset, h);
            }
            offset += h;
        }
        return new Matrices(left, columns, rights.toArray(new float[0][]), right, group, lefts.size());
    }

    /** The index of {@code key}'s matrix in {@code matrices}, made and added the first time the key is seen. */
    private static int distinct(Map<String, Integer> indices, String key, List<float[]> matrices,
            Supplier<float[]> make) {
        return indices.computeIfAbsent(key, k -> {
            matrices.add(make.get());
            return matrices.size() - 1;
        });
    }

    /** The rows of a row-major matrix ({@code columns} wide) in the order {@code rows} names them. */
    private static float[] gathered(float[] m, int columns, int[] rows) {
        float[] out = new float[rows.length * columns];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(m, rows[j] * columns, out, j * columns, columns);
        }
        return out;
    }

    /** The transpose of a row-major {@code rows x columns} matrix. */
    static float[] transposed(float[] m, int rows, int columns) {
        float[] out = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[c * rows + r] = m[r * columns + c];
            }
        }
        return out;
    }

    private static void scale(float[] m, float factor) {
        for (int i = 0; i < m.length; i++) {
            m[i] *= factor;
        }
    }

    /**
     * A (side x leftColumns, row-major: one column block per distinct left matrix), the distinct B^T, and for every
     * view-and-level term (views outer, levels inner) the B^T it takes and the block its product goes through.
     */
    private record Matrices(float[] left, int leftColumns, float[][] rightTransposed, int[] right, int[] group,
            int groups) {
    }
}
