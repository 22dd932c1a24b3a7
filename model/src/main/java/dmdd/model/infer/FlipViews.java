package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Mirrored views of a batch for inspection ({@code inspectionFlips}): the batch runs once as it is and once per
 * mirror, in one larger batch, and each image's maps from the mirrored views are mirrored back and averaged with
 * its own. The networks see the same surface in other orientations, so what one view answers by chance the
 * others rarely repeat, while a defect answers in every view.
 */
final class FlipViews {
    /** Per view after the first: the axes (counted from the last) it mirrors; {@code {1}} left-right. */
    private static final int[][] MIRRORS = {{1}, {2}, {1, 2}};

    private FlipViews() {
    }

    /**
     * @param images a batch, N x C x H x W
     * @param flips  0, 1 or 3 mirrored views
     * @return the batch followed by its mirrored copies, (1 + flips) N x C x H x W
     */
    static NDArray stack(NDArray images, int flips) {
        if (flips == 0) {
            return images;
        }
        NDList views = new NDList(images);
        for (int v = 0; v < flips; v++) {
            views.add(images.flip(axes(images, MIRRORS[v])));
        }
        return NDArrays.concat(views, 0);
    }

    /**
     * @param maps  maps of a stacked batch, (1 + flips) N x ... x H x W, in {@link #stack}'s order
     * @param flips the number of mirrored views in it
     * @return each image's maps averaged over its views in its own orientation, N x ... x H x W
     */
    static NDArray average(NDArray maps, int flips) {
        if (flips == 0) {
            return maps;
        }
        long n = maps.getShape().get(0) / (1 + flips);
        NDArray sum = maps.get("0:" + n);
        for (int v = 0; v < flips; v++) {
            NDArray view = maps.get((v + 1) * n + ":" + (v + 2) * n);
            sum = sum.add(view.flip(axes(view, MIRRORS[v])));
        }
        return sum.div(1 + flips);
    }

    private static int[] axes(NDArray array, int[] fromLast) {
        int rank = array.getShape().dimension();
        int[] axes = new int[fromLast.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = rank - fromLast[i];
        }
        return axes;
    }
}
