package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import java.util.Random;

/**
 * Textures made on the spot, so synthesis works with no texture files at all: fractal Perlin
 * noise between two random colours, stripes at a random angle, or a colour-jittered, enlarged
 * patch of the normal image itself (a plausible "foreign material of the same kind").
 */
public final class ProceduralTextureSource implements TextureSource {
    @Override
    public RgbImage texture(int width, int height, RgbImage normal, Random rng) {
        return switch (rng.nextInt(3)) {
            case 0 -> noise(width, height, rng);
            case 1 -> stripes(width, height, rng);
            default -> jitteredPatch(width, height, normal, rng);
        };
    }

    @Override
    public String describe() {
        return "procedural (noise, stripes, jittered patches)";
    }

    static RgbImage noise(int width, int height, Random rng) {
        int cells = 1 << (1 + rng.nextInt(3));
        float[] n = PerlinNoise.fractal(width, height, cells, 3, rng);
        float[] c0 = Textures.randomColour(rng);
        float[] c1 = Textures.randomColour(rng);
        int plane = width * height;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * plane + i] = c0[c] + (c1[c] - c0[c]) * n[i];
            }
        }
        return RgbImage.of(width, height, chw);
    }

    static RgbImage stripes(int width, int height, Random rng) {
        double angle = rng.nextDouble() * Math.PI;
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float period = 3 + rng.nextFloat() * Math.max(4, Math.min(width, height) / 4f);
        float duty = 0.3f + 0.4f * rng.nextFloat();
        float phase = rng.nextFloat() * period;
        float[] c0 = Textures.randomColour(rng);
        float[] c1 = Textures.randomColour(rng);
        int plane = width * height;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float t = (x * cos + y * sin + phase) / period;
                float[] colour = t - (float) Math.floor(t) < duty ? c0 : c1;
                int i = y * width + x;
                for (int c = 0; c < 3; c++) {
                    chw[c * plane + i] = colour[c];
                }
            }
        }
        return RgbImage.of(width, height, chw);
    }

    static RgbImage jitteredPatch(int width, int height, RgbImage normal, Random rng) {
        double share = 0.25 + 0.35 * rng.nextDouble();
        int pw = Math.max(1, (int) Math.round(normal.width() * share));
        int ph = Math.max(1, (int) Math.round(normal.height() * share));
        int x0 = rng.nextInt(normal.width() - pw + 1);
        int y0 = rng.nextInt(normal.height() - ph + 1);
        RgbImage patch = Textures.crop(normal, x0, y0, pw, ph).resize(width, height);
        float[] chw = patch.chw();
        int plane = width * height;
        for (int c = 0; c < 3; c++) {
            float gain = 0.5f + rng.nextFloat();
            float offset = (rng.nextFloat() - 0.5f) * 0.4f;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                chw[i] = Textures.clamp(chw[i] * gain + offset);
            }
        }
        return RgbImage.of(width, height, chw);
    }
}
