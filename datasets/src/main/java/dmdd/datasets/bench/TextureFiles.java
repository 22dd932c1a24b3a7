package dmdd.datasets.bench;

import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.GimpPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads the texture a benchmark is made from: a photograph, or a GIMP pattern as Debian's gimp-data ships. */
final class TextureFiles {
    private TextureFiles() {
    }

    /**
     * @param file an image file or a {@code .pat} GIMP pattern
     * @return its pixels
     * @throws IOException naming the file when it cannot be read
     */
    static RgbImage read(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pat")) {
            return GimpPattern.read(file).image();
        }
        return new ImageReader(Integer.MAX_VALUE).read(file);
    }

    /**
     * A texture mirror-tiled to at least the given size (small GIMP patterns become surfaces large enough
     * for crops with a held-out part; a photograph already that large is returned as it is).
     *
     * @param texture the texture
     * @param side    the smallest width and height wanted
     * @return the surface
     */
    static RgbImage mirrorTiled(RgbImage texture, int side) {
        if (texture.width() >= side && texture.height() >= side) {
            return texture;
        }
        int w = Math.max(side, texture.width());
        int h = Math.max(side, texture.height());
        int tw = texture.width();
        int th = texture.height();
        float[] src = texture.chw();
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int sy = SurfaceDamagePainter.mirror(y, th);
                for (int x = 0; x < w; x++) {
                    out[c * w * h + y * w + x] = src[c * tw * th + sy * tw + SurfaceDamagePainter.mirror(x, tw)];
                }
            }
        }
        return RgbImage.of(w, h, out);
    }
}
