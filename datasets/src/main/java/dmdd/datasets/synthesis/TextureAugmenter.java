package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * DRAEM's texture augmentation: three different colour operations picked at random from gamma
 * contrast (per channel), brightness multiply-and-add, hue rotation, solarize, posterize, invert
 * and autocontrast. (DRAEM also sharpens, equalises and rotates; those add little colour variety.)
 */
public final class TextureAugmenter {
    private static final int OPERATIONS = 7;
    private static final int GAMMA_STEPS = 4096;

    private TextureAugmenter() {
    }

    /**
     * @param texture the texture
     * @param rng     the random source
     * @return the augmented texture
     */
    public static RgbImage augment(RgbImage texture, Random rng) {
        List<Integer> ops = new ArrayList<>();
        for (int i = 0; i < OPERATIONS; i++) {
            ops.add(i);
        }
        Collections.shuffle(ops, rng);
        float[] chw = texture.chw();
        int plane = texture.width() * texture.height();
        for (int k = 0; k < 3; k++) {
            apply(ops.get(k), chw, plane, rng);
        }
        return RgbImage.of(texture.width(), texture.height(), chw);
    }

    private static void apply(int op, float[] chw, int plane, Random rng) {
        switch (op) {
            case 0 -> { // gamma contrast in [0.5, 2], per channel
                for (int c = 0; c < 3; c++) {
                    double gamma = 0.5 + 1.5 * rng.nextDouble();
                    // A table with linear interpolation: Math.pow per value was most of the cost.
                    float[] table = new float[GAMMA_STEPS + 1];
                    for (int k = 0; k <= GAMMA_STEPS; k++) {
                        table[k] = (float) Math.pow((double) k / GAMMA_STEPS, gamma);
                    }
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        float pos = Textures.clamp(chw[i]) * GAMMA_STEPS;
                        int k = Math.min((int) pos, GAMMA_STEPS - 1);
                        float t = pos - k;
                        chw[i] = table[k] + t * (table[k + 1] - table[k]);
                    }
                }
            }
            case 1 -> { // brightness: multiply [0.8, 1.2], add [-30, 30] / 255
                float mul = 0.8f + 0.4f * rng.nextFloat();
                float add = (rng.nextFloat() * 60 - 30) / 255f;
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = Textures.clamp(chw[i] * mul + add);
                }
            }
            case 2 -> hueRotate(chw, plane, (rng.nextDouble() * 2 - 1) * Math.PI);
            case 3 -> { // solarize: invert values above a threshold in [32, 128] / 255
                float threshold = (32 + 96 * rng.nextFloat()) / 255f;
                for (int i = 0; i < chw.length; i++) {
                    if (chw[i] >= threshold) {
                        chw[i] = 1 - chw[i];
                    }
                }
            }
            case 4 -> { // posterize to 1..7 bits
                int levels = (1 << (1 + rng.nextInt(7))) - 1;
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = Math.round(chw[i] * levels) / (float) levels;
                }
            }
            case 5 -> {
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = 1 - chw[i];
                }
            }
            default -> { // autocontrast per channel
                for (int c = 0; c < 3; c++) {
                    float min = 1;
                    float max = 0;
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        min = Math.min(min, chw[i]);
                        max = Math.max(max, chw[i]);
                    }
                    if (max - min > 1e-6f) {
                        for (int i = c * plane; i < (c + 1) * plane; i++) {
                            chw[i] = (chw[i] - min) / (max - min);
                        }
                    }
                }
            }
        }
    }

    /** Rotates hue about the gray axis (the standard RGB hue-rotation matrix). */
    private static void hueRotate(float[] chw, int plane, double angle) {
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float third = 1f / 3f;
        float sq = (float) Math.sqrt(third);
        float a = cos + (1 - cos) * third;
        float b = third * (1 - cos) - sq * sin;
        float c = third * (1 - cos) + sq * sin;
        for (int i = 0; i < plane; i++) {
            float r = chw[i];
            float g = chw[plane + i];
            float bl = chw[2 * plane + i];
            chw[i] = Textures.clamp(r * a + g * b + bl * c);
            chw[plane + i] = Textures.clamp(r * c + g * a + bl * b);
            chw[2 * plane + i] = Textures.clamp(r * b + g * c + bl * a);
        }
    }
}
