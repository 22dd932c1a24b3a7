package dmdd.model.metrics;

import dmdd.datasets.image.Mask;
import java.util.Arrays;

/**
 * The ground truth of a whole test set at pixel level, image after image: for every pixel its defect
 * region (0 = normal), regions numbered across the whole set. Anomaly maps are appended in the same
 * order as flat float arrays, so the pixel metrics run over the whole test set at once, as anomalib
 * and the MVTec protocol do (not averaged per image).
 */
public final class PixelGroundTruth {
    private int[] regionIds = new int[1 << 16];
    private int[] regionSizes = new int[64];
    private int pixels;
    private int regions;
    private long defectPixels;

    /**
     * Appends one image's mask.
     *
     * @param mask the mask, at the resolution of the anomaly map that will be appended with it
     */
    public void add(Mask mask) {
        ConnectedRegions found = ConnectedRegions.of(mask);
        int n = mask.width() * mask.height();
        if ((long) pixels + n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("too many pixels for one evaluation: evaluate at a smaller size");
        }
        if (pixels + n > regionIds.length) {
            regionIds = Arrays.copyOf(regionIds, Math.max(pixels + n, (int) Math.min(Integer.MAX_VALUE - 16,
                    2L * regionIds.length)));
        }
        for (int i = 0; i < n; i++) {
            int local = found.label(i);
            regionIds[pixels + i] = local == 0 ? 0 : regions + local;
        }
        if (regions + found.count() + 1 > regionSizes.length) {
            regionSizes = Arrays.copyOf(regionSizes, Math.max(regions + found.count() + 1, 2 * regionSizes.length));
        }
        for (int r = 1; r <= found.count(); r++) {
            regionSizes[regions + r] = found.size(r);
            defectPixels += found.size(r);
        }
        regions += found.count();
        pixels += n;
    }

    /** @return number of pixels appended so far */
    public int pixelCount() {
        return pixels;
    }

    /** @return number of defect regions over all images */
    public int regionCount() {
        return regions;
    }

    /** @return number of defect pixels */
    public long defectPixelCount() {
        return defectPixels;
    }

    /**
     * @param index pixel index over the whole set
     * @return its region (1..regionCount) or 0 for a normal pixel
     */
    public int regionId(int index) {
        return regionIds[index];
    }

    /**
     * @param region 1..regionCount
     * @return its area in pixels
     */
    public int regionSize(int region) {
        return regionSizes[region];
    }

    /** @return one flag per pixel, {@code true} = defect */
    public boolean[] labels() {
        boolean[] labels = new boolean[pixels];
        for (int i = 0; i < pixels; i++) {
            labels[i] = regionIds[i] != 0;
        }
        return labels;
    }
}
