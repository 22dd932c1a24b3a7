package dmdd.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What a frozen network makes of every normal training image, computed once (in fixed chunks, so a resumed run
 * computes exactly the same values) and gathered per step. The normal images are never augmented, and a clean pair's
 * "augmented" image is its normal image itself, so these features never change while the network stays frozen:
 * the teacher's features in stage 1 (which halves the teacher's work there and removes it from the baseline's
 * steps) and the segmentation network's inputs in stage 2 (the teacher and the frozen student then run only on the
 * pairs that carry a synthetic anomaly).
 */
final class NormalFeatureCache implements AutoCloseable {
    /** Above this the features are recomputed every step instead of held in memory. */
    static final long MAX_BYTES = 2L << 30;
    private final NDArray[] arrays;

    private NormalFeatureCache(NDArray[] arrays) {
        this.arrays = arrays;
    }

    /**
     * Runs {@code network} over the images in chunks of {@code chunk} and keeps its outputs.
     *
     * @param what    what is cached, for the messages ("the teacher's features")
     * @param images  the normal training images, at the network input size
     * @param network the frozen network: the images' N x 3 x H x W values in [0, 1] to its outputs, made in the
     *                manager of its input (not recorded for gradients)
     * @param chunk   images per forward pass
     * @param manager where the cache lives (closed with it at the latest)
     * @param out     receives what is being done
     * @param cancel  polled between chunks
     * @return the cache, or {@code null} when too large or cancelled
     */
    static NormalFeatureCache build(String what, List<RgbImage> images, Function<NDArray, NDList> network,
            int chunk, NDManager manager, TrainingListener out, BooleanSupplier cancel) {
        out.onMessage("computing " + what + " of " + images.size() + " normal images");
        int side = images.get(0).width();
        int plane = side * side;
        List<NDList> parts = new ArrayList<>();
        try {
            for (int start = 0; start < images.size(); start += chunk) {
                if (cancel != null && cancel.getAsBoolean()) {
                    return null; // the training loop sees the cancel next and checkpoints
                }
                int n = Math.min(chunk, images.size() - start);
                float[] data = new float[n * 3 * plane];
                for (int i = 0; i < n; i++) {
                    images.get(start + i).copyTo(data, i * 3 * plane);
                }
                try (NDManager sm = manager.newSubManager()) {
                    NDList kept = network.apply(sm.create(data, new Shape(n, 3, side, side)));
                    kept.attach(manager); // survives the chunk's manager
                    parts.add(kept);
                }
                if (start == 0) { // the first chunk tells the size of the whole cache
                    long perImage = 0;
                    for (NDArray a : parts.get(0)) {
                        perImage += a.size() / n * Float.BYTES;
                    }
                    if (perImage * images.size() > MAX_BYTES) {
                        out.onMessage(what + " of " + images.size() + " images would need "
                                + perImage * images.size() / (1 << 20) + " MB: computing them every step instead");
                        return null;
                    }
                }
            }
            int count = parts.get(0).size();
            NDArray[] arrays = new NDArray[count];
            for (int k = 0; k < count; k++) {
                NDList all = new NDList(parts.size());
                for (NDList p : parts) {
                    all.add(p.get(k));
                }
                arrays[k] = all.size() == 1 ? all.get(0) : NDArrays.concat(all, 0);
                arrays[k].attach(manager);
            }
            if (parts.size() > 1) {
                parts.forEach(NDList::close);
            }
            parts.clear();
            return new NormalFeatureCache(arrays);
        } finally {
            parts.forEach(NDList::close); // only when not returned as the cache
        }
    }

    /**
     * @param indices training image indices (repeats allowed)
     * @param manager the step's manager (the gathered arrays live there)
     * @return every cached array for those images, batch-major in the given order
     */
    List<NDArray> features(int[] indices, NDManager manager) {
        long[] longIndices = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            longIndices[i] = indices[i];
        }
        NDArray index = manager.create(longIndices);
        List<NDArray> out = new ArrayList<>(arrays.length);
        for (NDArray level : arrays) {
            NDArray picked = level.get(index);
            picked.attach(manager); // gathered from a long-lived array: free it with the step
            out.add(picked);
        }
        return out;
    }

    /** Frees the cached features (at the end of their stage). */
    @Override
    public void close() {
        for (NDArray a : arrays) {
            a.close();
        }
    }
}
