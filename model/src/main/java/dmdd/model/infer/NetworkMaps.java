package dmdd.model.infer;

/**
 * The inspector's raw answer for one input, at network resolution ({@code side x side}, row-major):
 * the Gaussian-smoothed branch maps, the fused map and the image score. The score is computed here,
 * before any mapping back to the image, so it depends only on the network input.
 *
 * @param side        the network input side
 * @param normality   normality-branch map
 * @param abnormality abnormality-branch map
 * @param fused       fused map
 * @param score       image score (top-k mean or max of the fused map)
 */
public record NetworkMaps(int side, float[] normality, float[] abnormality, float[] fused, double score) {

    /**
     * The maps resampled to an output size (the picture on screen, the decoded file, the mask), with the
     * project's one resize.
     *
     * @param width  output width
     * @param height output height
     * @return the maps at that size with the same score
     */
    public AnomalyMaps at(int width, int height) {
        float[] norm = FloatMaps.resize(normality, side, side, width, height);
        float[] abn = abnormality == normality ? norm : FloatMaps.resize(abnormality, side, side, width, height);
        float[] fus = fused == normality ? norm : FloatMaps.resize(fused, side, side, width, height);
        return new AnomalyMaps(width, height, norm, abn, fus, score);
    }
}
