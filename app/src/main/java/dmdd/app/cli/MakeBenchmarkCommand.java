package dmdd.app.cli;

import dmdd.datasets.bench.BenchmarkDefect;
import dmdd.datasets.bench.CameraBenchmarkGenerator;
import dmdd.datasets.bench.DefectBenchmarkGenerator;
import dmdd.datasets.bench.SurfaceDamage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code make-benchmark}: builds the MVTec-layout development benchmark from texture photographs. */
@Command(name = "make-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build an MVTec AD layout benchmark from texture photographs: one category per TEXTURE "
                + "(named after the file),",
            "normal training crops from one part of the texture, test crops from a held-out part, defects ("
                + "scratch, pit, stain, crack) drawn with their masks."})
final class MakeBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TEXTURE", description = "texture images, e.g. skimage's brick.png")
    List<Path> textures;

    @Option(names = "--out", required = true, paramLabel = "ROOT", description = "benchmark root to write")
    Path out;

    @Option(names = "--crop", paramLabel = "PX", description = "crop side in source pixels (default: 192)")
    Integer crop;

    @Option(names = "--image-size", paramLabel = "PX", description = "side of the written images (default: the crop)")
    Integer imageSize;

    @Option(names = "--train", paramLabel = "N", description = "normal training images (default: 160)")
    Integer train;

    @Option(names = "--test-good", paramLabel = "N", description = "normal test images (default: 20)")
    Integer testGood;

    @Option(names = "--test-per-defect", paramLabel = "N", description = "test images per defect kind (default: 15)")
    Integer testPerDefect;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: 2024)")
    Long seed;

    @Option(names = "--split", paramLabel = "SPLIT", description = {"how each texture is divided between train and "
            + "test crops: LEFT_RIGHT (default, the README tables: train from the left 55 %%, test from the rest) or "
            + "QUADRANTS (train from the top-left and bottom-right quarters, test from the other two, so both see "
            + "every side of a photograph whose look drifts across it)"})
    DefectBenchmarkGenerator.Split split = DefectBenchmarkGenerator.Split.LEFT_RIGHT;

    @Option(names = "--camera", paramLabel = "PX", description = {"camera-resolution category instead: PX x PX "
            + "images of the texture mirror-tiled, with scratches, pits and cracks of a few pixels and full-resolution "
            + "masks (--train default 20, --test-good 10, --test-per-defect: per kind of 3, default 7)"})
    Integer camera;

    @Option(names = "--damage", description = {"the second development benchmark instead: the textures (photographs "
            + "or GIMP .pat patterns, mirror-tiled to 512 px) with foreign patches, missing material, folds, "
            + "contamination and glare in place of scratches, pits, stains and cracks"})
    boolean damage;

    @Override
    public Integer call() throws Exception {
        if (camera != null && damage) {
            throw new CliException("--camera and --damage make different benchmarks: give one");
        }
        if (camera != null) {
            return camera();
        }
        DefectBenchmarkGenerator.Settings d = DefectBenchmarkGenerator.Settings.defaults();
        int cropPx = crop == null ? d.cropSize() : crop;
        DefectBenchmarkGenerator.Settings s;
        try {
            s = new DefectBenchmarkGenerator.Settings(cropPx, imageSize == null ? cropPx : imageSize,
                    train == null ? d.trainImages() : train, testGood == null ? d.testGoodImages() : testGood,
                    testPerDefect == null ? d.testImagesPerDefect() : testPerDefect, d.trainFraction(),
                    d.maxRotationDegrees(), d.brightnessJitter(), seed == null ? d.seed() : seed)
                    .withSplit(split);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        java.util.Map<String, Path> categories = new java.util.HashMap<>();
        for (Path t : textures) {
            if (!Files.isRegularFile(t)) {
                throw new CliException("TEXTURE " + t + ": no such file");
            }
            // checked before anything is written: one category per name, a name --category can give back
            String name = DefectBenchmarkGenerator.categoryName(t);
            if (name.contains(",") || name.equalsIgnoreCase(CategoryOptions.ALL) || !name.equals(name.strip())
                    || name.isEmpty()) {
                throw new CliException("TEXTURE " + t + ": makes the category '" + name + "', which --category "
                        + "cannot name (a comma, 'all' or spaces at either end); copy the file under another name");
            }
            Path other = categories.put(name, t);
            if (other != null && !damage) {
                throw new CliException("TEXTURE " + t + ": makes the category '" + name + "' as " + other
                        + " does; give each texture once, with its own file name");
            }
        }
        Path root = CliInputs.outputFolder(out, "--out");
        DefectBenchmarkGenerator generator = new DefectBenchmarkGenerator(s);
        if (damage) {
            for (Path dir : generator.generateDamage(textures, root)) {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "%s: %d train, %d good + %d x %d damaged test images (%s)%n", dir,
                        s.trainImages(), s.testGoodImages(), SurfaceDamage.values().length, s.testImagesPerDefect(),
                        Arrays.stream(SurfaceDamage.values()).map(SurfaceDamage::folderName)
                                .collect(Collectors.joining(", ")));
            }
            return 0;
        }
        for (Path t : textures) {
            String name = DefectBenchmarkGenerator.categoryName(t);
            Path dir = generator.generate(t, root, name);
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s: %d train, %d good + %d x %d defective test images (%s)%n", dir,
                    s.trainImages(), s.testGoodImages(), BenchmarkDefect.values().length, s.testImagesPerDefect(),
                    Arrays.stream(BenchmarkDefect.values()).map(BenchmarkDefect::folderName)
                            .collect(Collectors.joining(", ")));
        }
        return 0;
    }

    private int camera() throws Exception {
        if (camera < 256) {
            throw new CliException("--camera " + camera + ": at least 256 px");
        }
        CameraBenchmarkGenerator.Settings s;
        try {
            s = new CameraBenchmarkGenerator.Settings(List.of(new int[] {camera, camera}), train == null ? 20 : train,
                    testGood == null ? 10 : testGood, testPerDefect == null ? 7 : testPerDefect,
                    seed == null ? 2024 : seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Path root = CliInputs.outputFolder(out, "--out");
        for (Path t : textures) {
            if (!Files.isRegularFile(t)) {
                throw new CliException("TEXTURE " + t + ": no such file");
            }
            String name = DefectBenchmarkGenerator.categoryName(t) + "_" + camera;
            Path dir = new CameraBenchmarkGenerator(s).generateFromTexture(t, root, name);
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s: %d train, %d good + 3 x %d defective test images (scratch, pit, "
                    + "crack) at %d x %d%n", dir, s.trainImages(), s.testGoodImages(), s.testImagesPerDefect(), camera,
                    camera);
        }
        return 0;
    }
}
