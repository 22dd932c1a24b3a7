package dmdd.model.infer;

import dmdd.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Camera-resolution tiling: where the square tiles lie on an image at the inspection scale, how each tile is
 * cut, and how the tiles' maps are stitched back into one map per branch with feathered blending (each tile's
 * weight falls off linearly from its centre to its edges, so seams do not show and every pixel is a weighted
 * mean of the tiles that see it).
 */
public final class TileStitcher {
    private final int tile;
    private final int width;
    private final int height;
    private final List<int[]> origins;
    private final float[] window;
    private final float[] sumNormality;
    private final float[] sumAbnormality;
    private final float[] sumFused;
    private final float[] sumWeight;

    /**
     * @param width   image width at the inspection scale, at least {@code tile}
     * @param height  image height at the inspection scale, at least {@code tile}
     * @param tile    tile side (the network input side)
     * @param overlap share of a tile that overlaps its neighbour, in [0, 0.9)
     */
    public TileStitcher(int width, int height, int tile, double overlap) {
        if (width < tile || height < tile) {
            throw new IllegalArgumentException("the image (" + width + " x " + height + ") is smaller than a tile ("
                    + tile + ")");
        }
        this.tile = tile;
        this.width = width;
        this.height = height;
        int stride = Math.max(1, (int) Math.round(tile * (1 - overlap)));
        this.origins = new ArrayList<>();
        for (int y : positions(height, tile, stride)) {
            for (int x : positions(width, tile, stride)) {
                origins.add(new int[] {x, y});
            }
        }
        // A pyramid: a tile's centre counts most and its edges least, because a network's answer near the edge
        // of its input (zero padding, half a receptive field) is weaker; with half-tile overlap every pixel lies
        // in the central half of some tile, so no seams show. Never zero: the image's own border has one tile.
        this.window = new float[tile];
        for (int i = 0; i < tile; i++) {
            window[i] = (float) Math.max(1e-3, Math.min(i + 0.5, tile - i - 0.5) / (tile / 2.0));
        }
        int n = width * height;
        sumNormality = new float[n];
        sumAbnormality = new float[n];
        sumFused = new float[n];
        sumWeight = new float[n];
    }

    /** Tile origins along one axis: every stride, the last one flush with the far edge. */
    static List<Integer> positions(int length, int tile, int stride) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; ; p += stride) {
            if (p + tile >= length) {
                out.add(length - tile);
                return out;
            }
            out.add(p);
        }
    }

    /** @return the tiles' top-left corners, {@code {x, y}}, row by row */
    public List<int[]> origins() {
        return origins;
    }

    /**
     * @param scaled the image at the inspection scale
     * @param origin a tile's top-left corner
     * @return the tile's pixels
     */
    public RgbImage cut(RgbImage scaled, int[] origin) {
        return scaled.crop(origin[0], origin[1], tile, tile);
    }

    /**
     * Adds one tile's maps (network resolution, {@code tile x tile}).
     *
     * @param origin its top-left corner
     * @param maps   its maps
     */
    public void add(int[] origin, NetworkMaps maps) {
        for (int y = 0; y < tile; y++) {
            int row = (origin[1] + y) * width + origin[0];
            float wy = window[y];
            for (int x = 0; x < tile; x++) {
                float w = wy * window[x];
                int i = row + x;
                int t = y * tile + x;
                sumNormality[i] += w * maps.normality()[t];
                sumAbnormality[i] += w * maps.abnormality()[t];
                sumFused[i] += w * maps.fused()[t];
                sumWeight[i] += w;
            }
        }
    }

    /**
     * @param score computes the image score from the stitched fused map
     * @return the stitched maps of the whole image at the inspection scale
     */
    public NetworkMaps stitched(java.util.function.ToDoubleFunction<float[]> score) {
        int n = width * height;
        float[] norm = new float[n];
        float[] abn = new float[n];
        float[] fus = new float[n];
        for (int i = 0; i < n; i++) {
            float w = sumWeight[i];
            norm[i] = sumNormality[i] / w;
            abn[i] = sumAbnormality[i] / w;
            fus[i] = sumFused[i] / w;
        }
        return new NetworkMaps(width, height, norm, abn, fus, score.applyAsDouble(fus));
    }
}
