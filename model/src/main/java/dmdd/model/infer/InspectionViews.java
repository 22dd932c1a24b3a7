package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Mirrored, turned and shifted views of a batch for inspection ({@code inspectionViews}, {@code inspectionShifts}):
 * the batch runs as it is and as each further view, in one larger batch, and each image's maps from the other views
 * are moved back and averaged with its own. The networks see the same surface in other orientations, so what one
 * view answers by chance the others rarely repeat, while a defect answers in every view.
 *
 * <p>Orientation {@code v} (0 to 7) swaps rows and columns when bit 2 is set, then mirrors left-right when bit 0 is
 * set and up-down when bit 1 is set: orientations 0-1 are the image and its left-right mirror, 0-3 add the up-down
 * mirror and the half turn, 0-7 add the four orientations with rows and columns swapped (the quarter turns among
 * them).
 *
 * <p>Mirrors keep the networks' grid where it was (the input side is a multiple of every stride), so a line thinner
 * than a cell of the finest feature level (stride 4) falls into the same cells in every orientation. Shift {@code s}
 * moves the image by {@link #HALF_CELL} pixels before the orientations are taken, the edge rows and columns repeated:
 * shift 0 is none, 1 diagonal (right and down), 2 right, 3 down. The maps are moved back the same way, the
 * uncovered edge repeated.
 */
final class InspectionViews {
    /** How far a shift moves the image: half a cell of the finest feature level (stride 4), in input pixels. */
    static final int HALF_CELL = 2;

    private final int orientations;
    private final int shifts;

    /**
     * @param orientations 1, 2, 4 or 8
     * @param shifts       1, 2 or 4
     */
    InspectionViews(int orientations, int shifts) {
        this.orientations = orientations;
        this.shifts = shifts;
    }

    /**
     * @param images a batch, N x C x S x S (square)
     * @return the batch in each view, one after another (shift by shift, each in every orientation):
     *         orientations x shifts x N x C x S x S
     */
    NDArray stack(NDArray images) {
        if (orientations * shifts == 1) {
            return images;
        }
        NDList all = new NDList(orientations * shifts);
        for (int s = 0; s < shifts; s++) {
            NDArray shifted = shift(images, s, HALF_CELL);
            for (int v = 0; v < orientations; v++) {
                all.add(orient(shifted, v));
            }
        }
        return NDArrays.concat(all, 0);
    }

    /**
     * @param maps maps of a stacked batch, in {@link #stack}'s order (... x S x S)
     * @return each image's maps moved back from every view and averaged, N x ... x S x S
     */
    NDArray average(NDArray maps) {
        int views = orientations * shifts;
        if (views == 1) {
            return maps;
        }
        long n = maps.getShape().get(0) / views;
        NDArray sum = null;
        for (int s = 0; s < shifts; s++) {
            for (int v = 0; v < orientations; v++) {
                int k = s * orientations + v;
                NDArray back = shift(unorient(maps.get(k * n + ":" + (k + 1) * n), v), s, -HALF_CELL);
                sum = sum == null ? back : sum.add(back);
            }
        }
        return sum.div(views);
    }

    /** @return how many views each image passes in ({@code orientations x shifts}) */
    int count() {
        return orientations * shifts;
    }

    /**
     * @param k a view in {@link #stack}'s order
     * @return whether view {@code k}'s maps come back with rows and columns swapped ({@link #average} swaps them
     *         after mirroring them back)
     */
    boolean swaps(int k) {
        return ((k % orientations) & 4) != 0;
    }

    /**
     * Where {@link #average} takes each row of view {@code k}'s map back from: row {@code j} of the moved-back
     * map is row {@code backRows(k, size)[j]} of the view's map, after that map's rows and columns are swapped
     * when {@link #swaps} says so. Together with {@link #backColumns} this is {@link #average}'s move back as
     * index maps, for code that applies it as a matrix ({@link BranchMapAssembler}).
     *
     * @param k    a view in {@link #stack}'s order
     * @param size the maps' side
     * @return one source row per row
     */
    int[] backRows(int k, int size) {
        int v = k % orientations;
        int s = k / orientations;
        // a swapped view's rows were its columns when it was mirrored (bit 0 mirrors columns)
        boolean flip = ((v & 4) != 0 ? v & 1 : v & 2) != 0;
        return backIndices(size, flip, s == 1 || s == 3);
    }

    /**
     * Where {@link #average} takes each column of view {@code k}'s map back from (see {@link #backRows}).
     *
     * @param k    a view in {@link #stack}'s order
     * @param size the maps' side
     * @return one source column per column
     */
    int[] backColumns(int k, int size) {
        int v = k % orientations;
        int s = k / orientations;
        boolean flip = ((v & 4) != 0 ? v & 2 : v & 1) != 0;
        return backIndices(size, flip, s == 1 || s == 2);
    }

    /** The mirror back, then the move back by {@link #HALF_CELL} that repeats the edge, along one axis. */
    private static int[] backIndices(int size, boolean flip, boolean moved) {
        int[] from = new int[size];
        for (int j = 0; j < size; j++) {
            int unmoved = moved ? Math.min(size - 1, j + HALF_CELL) : j;
            from[j] = flip ? size - 1 - unmoved : unmoved;
        }
        return from;
    }

    private static NDArray orient(NDArray images, int v) {
        return mirror((v & 4) != 0 ? swapRowsAndColumns(images) : images, v);
    }

    private static NDArray unorient(NDArray maps, int v) {
        NDArray unmirrored = mirror(maps, v); // mirrors undo themselves and commute
        return (v & 4) != 0 ? swapRowsAndColumns(unmirrored) : unmirrored;
    }

    private static NDArray mirror(NDArray a, int v) {
        int rank = a.getShape().dimension();
        if ((v & 3) == 3) {
            return a.flip(rank - 2, rank - 1);
        }
        if ((v & 1) != 0) {
            return a.flip(rank - 1);
        }
        return (v & 2) != 0 ? a.flip(rank - 2) : a;
    }

    private static NDArray swapRowsAndColumns(NDArray a) {
        int rank = a.getShape().dimension();
        return a.swapAxes(rank - 2, rank - 1);
    }

    /** Shift {@code s} by {@code d} pixels ({@code -d} moves it back): right when s is 1 or 2, down when 1 or 3. */
    private static NDArray shift(NDArray a, int s, int d) {
        int rank = a.getShape().dimension();
        NDArray moved = s == 1 || s == 2 ? move(a, rank - 1, d) : a;
        return s == 1 || s == 3 ? move(moved, rank - 2, d) : moved;
    }

    /** Moves {@code a} by {@code d} pixels along {@code axis}, repeating the edge that the move uncovers. */
    private static NDArray move(NDArray a, int axis, int d) {
        long size = a.getShape().get(axis);
        if (d > 0) {
            NDArray edge = a.get(along(axis, 0, 1)).repeat(axis, d);
            return NDArrays.concat(new NDList(edge, a.get(along(axis, 0, size - d))), axis);
        }
        NDArray edge = a.get(along(axis, size - 1, size)).repeat(axis, -d);
        return NDArrays.concat(new NDList(a.get(along(axis, -d, size)), edge), axis);
    }

    private static NDIndex along(int axis, long from, long to) {
        return new NDIndex().addAllDim(axis).addSliceDim(from, to);
    }
}
