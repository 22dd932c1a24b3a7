package dmdd.datasets.sample;

import java.util.Random;

/** Renders a 2/2 twill weave, the normal surface of the sample dataset. */
final class Fabric {
    /** Warp (vertical threads): indigo. */
    private static final float[] WARP = {0.30f, 0.38f, 0.56f};
    /** Weft (horizontal threads): off-white. */
    private static final float[] WEFT = {0.72f, 0.70f, 0.64f};

    /** Cross-section profile of a thread, 0.7 at its edges to 1 at its middle, sampled finely. */
    private static final float[] PROFILE = new float[256];

    static {
        for (int k = 0; k < PROFILE.length; k++) {
            PROFILE[k] = 0.70f + 0.30f * (float) Math.sin(Math.PI * (k + 0.5) / PROFILE.length);
        }
    }

    private Fabric() {
    }

    /**
     * @param size   side of the square image
     * @param random source of this image's variation
     * @return channel-major RGB values in [0, 1]
     */
    static float[] render(int size, Random random) {
        // One thread is about 1/32 of the image wide, at least 4 pixels so the weave stays visible.
        float period = Math.max(4f, size / 32f);
        double angle = Math.toRadians((random.nextDouble() - 0.5) * 4); // slight misalignment
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float phaseX = random.nextFloat() * period * 4;
        float phaseY = random.nextFloat() * period * 4;
        float[] threadShade = new float[256];
        for (int i = 0; i < threadShade.length; i++) {
            threadShade[i] = 1f + 0.05f * (float) random.nextGaussian();
        }
        double lightAngle = random.nextDouble() * 2 * Math.PI;
        float lightX = (float) Math.cos(lightAngle) * 0.06f / size;
        float lightY = (float) Math.sin(lightAngle) * 0.06f / size;
        float brightness = 1f + 0.03f * (float) random.nextGaussian();

        int plane = size * size;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float u = (x * cos + y * sin + phaseX) / period;
                float v = (-x * sin + y * cos + phaseY) / period;
                int i = floor(u);
                int j = floor(v);
                float tu = u - i;
                float tv = v - j;
                boolean warpOnTop = Math.floorMod(i + j, 4) < 2;
                float[] colour;
                float shade;
                if (warpOnTop) {
                    colour = WARP;
                    shade = PROFILE[(int) (tu * PROFILE.length)] * threadShade[i & 255];
                } else {
                    colour = WEFT;
                    shade = PROFILE[(int) (tv * PROFILE.length)] * threadShade[(j + 128) & 255];
                }
                float light = brightness * (1f + (x - size / 2f) * lightX + (y - size / 2f) * lightY);
                // Sensor grain: a triangular distribution, close enough to Gaussian and much cheaper.
                float grain = 0.025f * (random.nextFloat() + random.nextFloat() - 1f);
                int p = y * size + x;
                for (int c = 0; c < 3; c++) {
                    chw[c * plane + p] = clamp(colour[c] * shade * light + grain);
                }
            }
        }
        return chw;
    }

    private static int floor(float v) {
        int i = (int) v;
        return v < i ? i - 1 : i;
    }

    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
