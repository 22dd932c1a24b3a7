package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DefectSynthesizerTest {
    private final RgbImage normal = SampleDataset.normalSurface(64, 3);

    @Test
    void sameSeedGivesTheSamePairAndAnotherSeedAnother() {
        DefectSynthesizer synth = new DefectSynthesizer(SynthesisSettings.DEFAULTS.withCleanFraction(0),
                new ProceduralTextureSource());

        TrainingPair a = synth.synthesize(normal, new Random(99));
        TrainingPair b = synth.synthesize(normal, new Random(99));
        TrainingPair c = synth.synthesize(normal, new Random(100));

        assertThat(a).isEqualTo(b);
        assertThat(a.augmented()).isNotEqualTo(c.augmented());
    }

    @Test
    void masksAreExactlyTheChangedPixelsAndNonEmptyUnlessClean() {
        DefectSynthesizer synth = DefectSynthesizer.withDefaults();
        Random rng = new Random(1);
        int clean = 0;
        int pairs = 60;
        for (int n = 0; n < pairs; n++) {
            TrainingPair pair = synth.synthesize(normal, rng);
            assertThat(pair.normal()).isSameAs(normal);
            if (pair.isClean()) {
                clean++;
                assertThat(pair.augmented()).isEqualTo(normal);
                continue;
            }
            assertExact(pair);
        }
        assertThat(clean).as("about half of %d pairs clean", pairs).isBetween(18, 42);
    }

    @Test
    void aTextureEqualToTheImageStillYieldsAnExactNonEmptyMask() {
        // Every texture matches the image, so no blend changes anything: the synthesiser must
        // notice that and fall back to a texture that does change the pixels.
        TextureSource copy = new TextureSource() {
            @Override
            public RgbImage texture(int width, int height, RgbImage image, Random rng) {
                return image;
            }

            @Override
            public String describe() {
                return "the image itself";
            }
        };
        SynthesisSettings noAugment = new SynthesisSettings(0, 0.8, 0, 5, 90, 0.5, 1f / 255, false, 0, 0, 0);

        TrainingPair pair = new DefectSynthesizer(noAugment, copy).synthesize(normal, new Random(4));

        assertThat(pair.mask().isEmpty()).isFalse();
        assertExact(pair);
    }

    @Test
    void blendFollowsTheDraemFormula() {
        float[] colour = {0.9f, 0.1f, 0.5f};
        TextureSource solid = (TextureSource) new TextureSource() {
            @Override
            public RgbImage texture(int width, int height, RgbImage image, Random rng) {
                float[] chw = new float[3 * width * height];
                for (int c = 0; c < 3; c++) {
                    java.util.Arrays.fill(chw, c * width * height, (c + 1) * width * height, colour[c]);
                }
                return RgbImage.of(width, height, chw);
            }

            @Override
            public String describe() {
                return "solid";
            }
        };
        SynthesisSettings settings = new SynthesisSettings(0, 0.8, 0, 5, 90, 0.5, 1f / 255, false, 0, 0, 0);

        TrainingPair pair = new DefectSynthesizer(settings, solid).synthesize(normal, new Random(8));

        // Recover b from one pixel, then every masked pixel must be (1 - b) tex + b x with that b.
        Mask m = pair.mask();
        Float b = null;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                if (!m.get(x, y)) {
                    continue;
                }
                float xr = normal.get(0, x, y);
                if (b == null) {
                    b = (pair.augmented().get(0, x, y) - colour[0]) / (xr - colour[0]);
                    assertThat(b).isBetween(0f, 0.8f);
                }
                for (int c = 0; c < 3; c++) {
                    float expected = (1 - b) * colour[c] + b * normal.get(c, x, y);
                    assertThat(pair.augmented().get(c, x, y)).isEqualTo(expected, within(1e-4f));
                }
            }
        }
        assertThat(b).as("some pixel was masked").isNotNull();
    }

    @Test
    void foregroundKeepsDefectsOnTheObject() {
        boolean[] left = new boolean[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 20; x++) {
                left[y * 64 + x] = true;
            }
        }
        Mask foreground = Mask.of(64, 64, left);
        DefectSynthesizer synth = new DefectSynthesizer(SynthesisSettings.DEFAULTS.withCleanFraction(0),
                new ProceduralTextureSource());
        Random rng = new Random(12);
        for (int n = 0; n < 15; n++) {
            TrainingPair pair = synth.synthesize(normal, foreground, rng);
            assertThat(pair.mask().isEmpty()).isFalse();
            for (int y = 0; y < 64; y++) {
                for (int x = 20; x < 64; x++) {
                    assertThat(pair.mask().get(x, y)).as("pixel %d,%d outside the foreground", x, y).isFalse();
                }
            }
            assertExact(pair);
        }
    }

    static void assertExact(TrainingPair pair) {
        RgbImage a = pair.augmented();
        RgbImage n = pair.normal();
        int changed = 0;
        for (int y = 0; y < n.height(); y++) {
            for (int x = 0; x < n.width(); x++) {
                boolean differs = false;
                for (int c = 0; c < 3; c++) {
                    differs |= a.get(c, x, y) != n.get(c, x, y);
                }
                assertThat(differs).as("pixel %d,%d: changed iff masked", x, y).isEqualTo(pair.mask().get(x, y));
                changed += differs ? 1 : 0;
            }
        }
        assertThat(changed).isPositive();
    }
}
