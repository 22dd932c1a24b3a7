package dmdd.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.teacher.Backbone;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The teacher's features T_l(x) of every normal training image, computed once before the first
 * step (in fixed chunks, so a resumed run computes exactly the same values) and gathered per step.
 * The normal images are never augmented, so their features never change: caching them halves the
 * teacher's work in DMDD's stage 1 and removes it from the baseline's steps.
 */
final class TeacherCache implements AutoCloseable {
    /** Above this the features are recomputed every step instead of held in memory. */
    static final long MAX_BYTES = 2L << 30;
    private final NDArray[] levels;

    private TeacherCache(NDArray[] levels) {
        this.levels = levels;
    }

    /**
     * @return the cache, or {@code null} when disabled, too large or cancelled
     */
    static TeacherCache build(DmddSettings settings, Backbone teacher, List<RgbImage> images, NDManager manager,
            ParameterStore ps, TrainingListener out, BooleanSupplier cancel) {
        if (!settings.cacheTeacherFeatures()) {
            return null;
        }
        int[] channels = teacher.levelChannels();
        long side = settings.imageSize();
        long perImage = 0;
        for (int l = 0; l < channels.length; l++) {
            long s = side / (4L << l);
            perImage += channels[l] * s * s * Float.BYTES;
        }
        if (perImage * images.size() > MAX_BYTES) {
            out.onMessage("teacher features of " + images.size() + " images would need "
                    + perImage * images.size() / (1 << 20) + " MB: computing them every step instead");
            return null;
        }
        out.onMessage("computing the teacher's features of " + images.size() + " normal images");
        int plane = (int) (side * side);
        int chunk = settings.batchSize();
        List<List<NDArray>> parts = new ArrayList<>();
        for (int start = 0; start < images.size(); start += chunk) {
            if (cancel != null && cancel.getAsBoolean()) {
                for (List<NDArray> p : parts) {
                    p.forEach(NDArray::close);
                }
                return null; // the training loop sees the cancel next and checkpoints
            }
            int n = Math.min(chunk, images.size() - start);
            float[] data = new float[n * 3 * plane];
            for (int i = 0; i < n; i++) {
                images.get(start + i).copyTo(data, i * 3 * plane);
            }
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = teacher.normalize(sm.create(data, new Shape(n, 3, side, side)));
                NDList t = teacher.forward(ps, new NDList(x), false);
                List<NDArray> kept = new ArrayList<>(3);
                for (int l = 0; l < 3; l++) {
                    NDArray a = t.get(l);
                    a.attach(manager); // survives the chunk's manager
                    kept.add(a);
                }
                parts.add(kept);
            }
        }
        NDArray[] levels = new NDArray[3];
        for (int l = 0; l < 3; l++) {
            NDList all = new NDList(parts.size());
            for (List<NDArray> p : parts) {
                all.add(p.get(l));
            }
            levels[l] = all.size() == 1 ? all.get(0) : NDArrays.concat(all, 0);
            if (all.size() > 1) {
                all.close();
            }
        }
        return new TeacherCache(levels);
    }

    /**
     * @param indices training image indices (repeats allowed)
     * @param manager the step's manager (the gathered arrays live there)
     * @return T_1..T_3 of those images, batch-major in the given order
     */
    List<NDArray> features(int[] indices, NDManager manager) {
        long[] longIndices = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            longIndices[i] = indices[i];
        }
        NDArray index = manager.create(longIndices);
        List<NDArray> out = new ArrayList<>(3);
        for (NDArray level : levels) {
            NDArray picked = level.get(index);
            picked.attach(manager); // gathered from a long-lived array: free it with the step
            out.add(picked);
        }
        return out;
    }

    /** Frees the cached features (at the end of stage 1). */
    @Override
    public void close() {
        for (NDArray level : levels) {
            level.close();
        }
    }
}
