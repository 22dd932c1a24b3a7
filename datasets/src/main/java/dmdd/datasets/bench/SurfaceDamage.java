package dmdd.datasets.bench;

import java.util.Locale;

/**
 * The defect kinds of the second development benchmark ({@link DefectBenchmarkGenerator#generateDamage}).
 * They come from a different generator than {@link BenchmarkDefect} and than the training synthesis, so
 * that settings tuned on the first benchmark can be checked on defects nobody tuned for: mostly areas
 * rather than lines, made of material, light and dirt rather than drawn strokes.
 */
public enum SurfaceDamage {
    /** A patch of another real texture pasted in with a soft, irregular edge (a foreign part or repair). */
    FOREIGN_PATCH,
    /** Material gone: an irregular hole showing a dark background, with a shadowed and a lit rim. */
    MISSING_MATERIAL,
    /** A fold or crease: a long band lit on one side and shaded on the other, darker along its ridge. */
    FOLD,
    /** Contamination: one to four semi-transparent spots of oil (dark, brownish) or dust (light, grey). */
    CONTAMINATION,
    /** Glare: a bright elliptical reflection with a soft falloff that washes the texture out. */
    GLARE;

    /** @return the test / ground_truth folder name, e.g. {@code foreign_patch} */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
