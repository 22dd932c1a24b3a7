package dmdd.model.train;

import dmdd.datasets.synthesis.DefectSynthesizer;
import dmdd.datasets.synthesis.GimpPatternTextureSource;
import dmdd.datasets.synthesis.FolderTextureSource;
import dmdd.datasets.synthesis.ProceduralTextureSource;
import dmdd.datasets.synthesis.SynthesisSettings;
import dmdd.datasets.synthesis.TextureSource;
import dmdd.model.dmdd.DmddSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** Builds the datasets module's anomaly synthesis the way a model's settings ask for it. */
public final class Synthesis {
    private Synthesis() {
    }

    /**
     * DRAEM-style synthesis (datasets' defaults) with the settings' clean-pair fraction, region shares
     * (thin scars and small spots beside Perlin blobs) and texture
     * source: the procedural source when {@code textureFolder} is unset, GIMP patterns when the
     * folder holds {@code .pat} files, otherwise the folder's images.
     *
     * @param settings model settings
     * @return the synthesizer
     * @throws IOException naming the folder when it is missing or holds no usable texture
     */
    public static DefectSynthesizer forSettings(DmddSettings settings) throws IOException {
        SynthesisSettings s = SynthesisSettings.DEFAULTS.withCleanFraction(settings.cleanPairFraction())
                .withShapeShares(settings.scarShare(), settings.spotShare());
        return new DefectSynthesizer(s, textures(settings));
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
