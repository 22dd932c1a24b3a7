package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Mirrored and turned views of a batch for inspection ({@code inspectionViews}): the batch runs as it is and as
 * each further view, in one larger batch, and each image's maps from the other views are turned back and averaged
 * with its own. The networks see the same surface in other orientations, so what one view answers by chance the
 * others rarely repeat, while a defect answers in every view.
 *
 * <p>View {@code v} (0 to 7) swaps rows and columns when bit 2 is set, then mirrors left-right when bit 0 is set
 * and up-down when bit 1 is set: views 0-1 are the image and its left-right mirror, 0-3 add the up-down mirror and
 * the half turn, 0-7 add the four orientations with rows and columns swapped (the quarter turns among them).
 */
final class InspectionViews {
    private InspectionViews() {
    }

    /**
     * @param images a batch, N x C x S x S (square)
     * @param views  1, 2, 4 or 8
     * @return the batch in each view, one after another: views N x C x S x S
     */
    static NDArray stack(NDArray images, int views) {
        if (views == 1) {
            return images;
        }
        NDList all = new NDList(views);
        for (int v = 0; v < views; v++) {
            all.add(view(images, v));
        }
        return NDArrays.concat(all, 0);
    }

    /**
     * @param maps  maps of a stacked batch, views N x ... x S x S, in {@link #stack}'s order
     * @param views the number of views in it
     * @return each image's maps turned back from every view and averaged, N x ... x S x S
     */
    static NDArray average(NDArray maps, int views) {
        if (views == 1) {
            return maps;
        }
        long n = maps.getShape().get(0) / views;
        NDArray sum = null;
        for (int v = 0; v < views; v++) {
            NDArray back = unview(maps.get(v * n + ":" + (v + 1) * n), v);
            sum = sum == null ? back : sum.add(back);
        }
        return sum.div(views);
    }

    private static NDArray view(NDArray images, int v) {
        return mirror((v & 4) != 0 ? swapRowsAndColumns(images) : images, v);
    }

    private static NDArray unview(NDArray maps, int v) {
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
}
