package dmdd.model.train;

import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.DefectSynthesizer;
import dmdd.datasets.synthesis.GimpPatternTextureSource;
import dmdd.datasets.synthesis.FolderTextureSource;
import dmdd.datasets.synthesis.ProceduralTextureSource;
import dmdd.datasets.synthesis.SynthesisSettings;
import dmdd.datasets.synthesis.TextureSource;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TrainingStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/** Builds the datasets module's anomaly synthesis the way a model's settings ask for it. */
public final class Synthesis {
    private Synthesis() {
    }

    /**
     * DRAEM-style synthesis (datasets' defaults) with the settings' clean-pair fraction, region shares
     * (thin scars, small spots and pasted patches beside Perlin blobs) and texture
     * source: the procedural source when {@code textureFolder} is unset, GIMP patterns when the
     * folder holds {@code .pat} files, otherwise the folder's images.
     *
     * @param settings model settings
     * @return the synthesizer
     * @throws IOException naming the folder when it is missing or holds no usable texture
     */
    public static DefectSynthesizer forSettings(DmddSettings settings) throws IOException {
        return new DefectSynthesizer(synthesisSettings(settings, settings.cleanPairFraction()), textures(settings));
    }

    /**
     * The production synthesis of every stage: {@link #forSettings} for stage 1 and AAND's amplifier, the same with
     * {@code segmenterCleanPairFraction} clean pairs for the segmentation stage (one texture source for both).
     *
     * @param settings model settings
     * @return the stage-aware synthesis
     * @throws IOException naming the texture folder when it is missing or holds no usable texture
     */
    public static PairSynthesizer byStage(DmddSettings settings) throws IOException {
        TextureSource textures = textures(settings);
        DefectSynthesizer first = new DefectSynthesizer(synthesisSettings(settings, settings.cleanPairFraction()),
                textures);
        DefectSynthesizer segmenter = new DefectSynthesizer(
                synthesisSettings(settings, settings.segmenterCleanPairFraction()), textures);
        return new PairSynthesizer() {
            @Override
            public TrainingPair synthesize(RgbImage normal, Random rng) {
                return first.synthesize(normal, rng);
            }

            @Override
            public PairSynthesizer forStage(TrainingStage stage) {
                return stage == TrainingStage.SEGMENTER ? segmenter::synthesize : first::synthesize;
            }
        };
    }

    private static SynthesisSettings synthesisSettings(DmddSettings settings, double cleanFraction) {
        return SynthesisSettings.DEFAULTS.withCleanFraction(cleanFraction)
                .withShapeShares(settings.scarShare(), settings.spotShare(), settings.patchShare());
    }

    private static TextureSource textures(DmddSettings settings) throws IOException {
        if (settings.textureFolder() == null || settings.textureFolder().isBlank()) {
            return new ProceduralTextureSource();
        }
        Path dir = Path.of(settings.textureFolder());
        if (Files.isDirectory(dir) && holdsPatterns(dir)) {
            return GimpPatternTextureSource.open(dir);
        }
        return FolderTextureSource.open(dir, 2 * settings.imageSize());
    }

    private static boolean holdsPatterns(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pat"));
        }
    }
}
