package dmdd.datasets.synthesis;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import java.util.Random;

/**
 * Makes training pairs the way DRAEM does: a Perlin-noise region M, a texture T, a blend factor
 * b ~ U[0, maxBlend), and
 * <pre>  x_aug = x (1 - M) + (1 - b) T M + b x M  </pre>
 * with, in the settings' shares, thin scars or small spots as the region M ({@link ThinDefectMasks}), or a patch of
 * the image itself pasted elsewhere instead of a texture ({@link PastedPatches}).
 * A share of pairs ({@link SynthesisSettings#cleanFraction()}) is left clean so the networks see
 * both cases. Defects can be kept on the object with a foreground mask.
 *
 * <p>The mask is exactly the changed pixels: a masked pixel whose value moves by less than
 * {@link SynthesisSettings#minChange()} in every channel (the texture happened to match the image
 * there) is put back to its normal value and left out of the mask. A non-clean pair always has
 * a non-empty mask. Every random choice comes from the {@link Random} passed in, so the same seed
 * gives the same pair.
 */
public final class DefectSynthesizer {
    private static final int MAX_ATTEMPTS = 10;

    private final SynthesisSettings settings;
    private final TextureSource textures;

    /**
     * @param settings the synthesis settings
     * @param textures where anomaly content comes from
     */
    public DefectSynthesizer(SynthesisSettings settings, TextureSource textures) {
        this.settings = settings;
        this.textures = textures;
    }

    /**
     * A synthesiser with the default settings and procedural textures (no files needed).
     *
     * @return the synthesiser
     */
    public static DefectSynthesizer withDefaults() {
        return new DefectSynthesizer(SynthesisSettings.DEFAULTS, new ProceduralTextureSource());
    }

    /** @return the settings */
    public SynthesisSettings settings() {
        return settings;
    }

    /** @return the texture source */
    public TextureSource textures() {
        return textures;
    }

    /**
     * Makes a pair with defects anywhere in the image.
     *
     * @param normal the normal image
     * @param rng    the random source
     * @return the pair
     */
    public TrainingPair synthesize(RgbImage normal, Random rng) {
        return synthesize(normal, null, rng);
    }

    /**
     * Makes a pair with defects only inside a foreground mask.
     *
     * @param normal     the normal image
     * @param foreground where defects may go (resized to the image if needed; not empty), or
     *                   {@code null} for anywhere
     * @param rng        the random source
     * @return the pair
     */
    public TrainingPair synthesize(RgbImage normal, Mask foreground, Random rng) {
        int w = normal.width();
        int h = normal.height();
        if (rng.nextDouble() < settings.cleanFraction()) {
            return new TrainingPair(normal, normal, Mask.empty(w, h));
        }
        Mask allowed = foreground == null ? null : foreground.resize(w, h);
        float[] x = normal.chw();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Kind kind = kind(rng);
            TrainingPair pair;
            if (kind == Kind.PATCH) {
                pair = PastedPatches.paste(normal, allowed, settings.minChange(), rng);
            } else {
                Mask region = region(kind, w, h, allowed, rng);
                RgbImage texture = textures.texture(w, h, normal, rng);
                if (settings.augmentTexture()) {
                    texture = TextureAugmenter.augment(texture, rng);
                }
                float blend = (float) (rng.nextDouble() * settings.maxBlend());
                pair = blend(normal, x, region, texture.chw(), blend);
            }
            if (!pair.mask().isEmpty()) {
                return pair;
            }
        }
        // Practically unreachable: every texture matched the image inside its region. A texture
        // at least 0.5 away from the image in every channel makes a change that cannot vanish.
        Kind kind = kind(rng);
        Mask region = region(kind == Kind.PATCH ? Kind.BLOB : kind, w, h, allowed, rng);
        float[] opposite = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            opposite[i] = x[i] >= 0.5f ? 0f : 1f;
        }
        return blend(normal, x, region, opposite, 0f);
    }

    /** The kinds of defect, drawn in the settings' shares. */
    private enum Kind { SCAR, SPOTS, PATCH, BLOB }

    /**
     * Draws the kind of defect: a thin scar, small spots, a pasted patch or a Perlin blob in the settings' shares.
     * With none but blobs asked for, no random number is drawn, so such settings make exactly the pairs they made
     * before the other kinds existed; a zero patch share leaves the other kinds' draws as they were before patches.
     */
    private Kind kind(Random rng) {
        if (settings.scarShare() <= 0 && settings.spotShare() <= 0 && settings.patchShare() <= 0) {
            return Kind.BLOB;
        }
        double u = rng.nextDouble();
        if (u < settings.scarShare()) {
            return Kind.SCAR;
        }
        if (u < settings.scarShare() + settings.spotShare()) {
            return Kind.SPOTS;
        }
        return u < settings.scarShare() + settings.spotShare() + settings.patchShare() ? Kind.PATCH : Kind.BLOB;
    }

    /** The region of a texture-filled defect of the given kind. */
    private Mask region(Kind kind, int w, int h, Mask allowed, Random rng) {
        return switch (kind) {
            case SCAR -> ThinDefectMasks.scar(w, h, allowed, rng);
            case SPOTS -> ThinDefectMasks.spots(w, h, allowed, rng);
            case BLOB, PATCH -> PerlinMask.sample(w, h, allowed, settings, rng);
        };
    }

    private TrainingPair blend(RgbImage normal, float[] x, Mask region, float[] texture, float b) {
        int w = normal.width();
        int h = normal.height();
        int plane = w * h;
        float[] out = x.clone();
        boolean[] changed = new boolean[plane];
        boolean[] inside = region.toBooleans();
        float keep = 1 - b;
        for (int i = 0; i < plane; i++) {
            if (!inside[i]) {
                continue;
            }
            float maxChange = 0;
            for (int c = 0; c < 3; c++) {
                int k = c * plane + i;
                float v = keep * texture[k] + b * x[k];
                maxChange = Math.max(maxChange, Math.abs(v - x[k]));
                out[k] = v;
            }
            if (maxChange >= settings.minChange()) {
                changed[i] = true;
            } else {
                for (int c = 0; c < 3; c++) {
                    out[c * plane + i] = x[c * plane + i];
                }
            }
        }
        return new TrainingPair(normal, RgbImage.of(w, h, out), Mask.of(w, h, changed));
    }
}
