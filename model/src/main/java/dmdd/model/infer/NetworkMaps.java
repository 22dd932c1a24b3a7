package dmdd.model.infer;

/**
 * The inspector's raw answer for one image, at network resolution (row-major, {@code width x height}): the
 * Gaussian-smoothed branch maps, the fused map and the image score. For a whole-image model this is the
 * {@code side x side} input; for a tiled model, the whole image at the inspection scale, stitched from
 * overlapping tiles. The score is computed here, before any mapping back to the image, so it depends only
 * on the network's view of the image.
 *
 * @param width       map width
 * @param height      map height
 * @param normality   normality-branch map
 * @param abnormality abnormality-branch map
 * @param fused       fused map
 * @param score       image score (top-k mean or max of the fused map)
 */
public record NetworkMaps(int width, int height, float[] normality, float[] abnormality, float[] fused,
                          double score) {

    /**
     * The maps resampled to an output size (the picture on screen, the decoded file, the mask), with the
     * project's one resize.
     *
     * @param outWidth  output width
     * @param outHeight output height
     * @return the maps at that size with the same score
     */
    public AnomalyMaps at(int outWidth, int outHeight) {
        float[] norm = FloatMaps.resize(normality, width, height, outWidth, outHeight);
        float[] abn = abnormality == normality ? norm : FloatMaps.resize(abnormality, width, height, outWidth, outHeight);
        float[] fus = fused == normality ? norm : FloatMaps.resize(fused, width, height, outWidth, outHeight);
        return new AnomalyMaps(outWidth, outHeight, norm, abn, fus, score);
    }
}
