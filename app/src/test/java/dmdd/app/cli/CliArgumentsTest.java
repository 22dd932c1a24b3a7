package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad invocations end with one clear line on stderr and a non-zero exit code, never a stack trace. */
class CliArgumentsTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRun r, String expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.errLines()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private Path category(String name, boolean withImage) throws IOException {
        Path good = Files.createDirectories(tmp.resolve("data").resolve(name).resolve("train/good"));
        if (withImage) {
            ImageWriter.writePng(RgbImage.of(8, 8, new float[3 * 64]), good.resolve("000.png"));
        }
        return tmp.resolve("data");
    }

    @Test
    void versionAndHelpWork() {
        CliRun v = CliRun.of("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).contains("DMDD Inspector").contains("Java ").contains("DJL ").contains("native memory: ");
        for (String cmd : new String[] {"train", "eval", "infer", "bench", "make-benchmark"}) {
            CliRun h = CliRun.of(cmd, "--help");
            assertThat(h.code()).as(cmd).isZero();
            assertThat(h.out()).as(cmd).contains("Usage: dmdd " + cmd);
        }
        CliRun top = CliRun.of("--help");
        assertThat(top.out()).contains("train").contains("eval").contains("infer").contains("bench")
                .contains("generate-completion");
    }

    @Test
    void shellCompletionIsGenerated() {
        CliRun c = CliRun.of("generate-completion");
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("complete -F").contains("mobilenetv2").contains("mobilenetv2_140")
                .contains("--category");
        // after --device the shell offers the devices (picocli writes the candidates into the script)
        assertThat(c.out()).contains("(\"auto\" \"cpu\" \"gpu\" \"gpu:0\" \"gpu:1\") # --device values");
    }

    @Test
    void unknownOptionsAndMissingOptionsAreOneLine() {
        assertOneLineError(CliRun.of("train", "--data", "d", "--category", "c", "--out", "o", "--bogus"), "--bogus");
        assertOneLineError(CliRun.of("train", "--data", "x"), "Missing required option");
        assertOneLineError(CliRun.of("frobnicate"), "frobnicate");
        assertOneLineError(CliRun.of("eval", "--data"), "--data");
        CliRun twoSources = CliRun.of("export", "--data", "d", "--category", "c", "--images", "i", "--out", "o");
        assertOneLineError(twoSources, "expected only one match");
        assertThat(twoSources.err()).as("picocli's own 'Error: ' is not doubled").doesNotContain("Error: ");
    }

    @Test
    void badValuesAreOneLine() throws IOException {
        Path data = category("c", true);
        String out = tmp.resolve("m").toString();
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--backbone", "vgg"), "mobilenetv2");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--method", "magic"), "magic");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--steps", "0"), "--steps 0");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--steps", "many"), "many");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--image-size", "100"), "multiple of 32");
        // one setting given twice with two values is refused; the same value twice is no conflict
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--image-size", "64", "--set", "imageSize=96"), "--set imageSize=96 and --image-size / --tile (64) disagree");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--threads", "2", "--set", "threads=1"), "--set threads=1 and --threads (2) disagree");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--set", "imageSize"), "--set imageSize: give NAME=VALUE");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--set", "inspectionViews=4", "--set", "inspectionViews=2"),
                "--set inspectionViews is given twice (4 and 2): give it once");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out", out,
                "--method", "dmdd", "--set", "method=dmdd", "--scale", "1", "--set", "inspectionScale=1.0",
                "--set", "topK=0"), "topK");
    }

    @Test
    void missingFoldersAndWrongLayoutsAreOneLine() throws IOException {
        Path data = category("c", true);
        String out = tmp.resolve("m").toString();
        assertOneLineError(CliRun.of("train", "--data", tmp.resolve("nope").toString(), "--category", "c",
                "--out", out), "no such folder");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "zz", "--out", out),
                "categories there: c");
        // --data naming the category itself: its train/ and test/ were offered as categories
        assertOneLineError(CliRun.of("train", "--data", data.resolve("c").toString(), "--category", "c", "--out",
                out), "is itself a category (it holds train/, test/ or ground_truth/): give the folder above it, "
                + "--data " + data + " --category c");
        Files.createDirectories(data.resolve("flat"));
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "flat", "--out", out),
                "Not an MVTec AD category");
        category("empty", false);
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "empty", "--out", out),
                "empty training set");
        // only unreadable images: the run fails before writing anything and leaves no empty model folder behind
        Path broken = Files.createDirectories(data.resolve("broken/train/good"));
        Files.writeString(broken.resolve("000.png"), "not a picture");
        CliRun unreadable = CliRun.of("train", "--data", data.toString(), "--category", "broken", "--out",
                tmp.resolve("fresh").toString());
        assertThat(unreadable.code()).isNotZero();
        assertThat(unreadable.err()).contains("no readable image");
        assertThat(tmp.resolve("fresh")).doesNotExist();
        // a texture folder that cannot serve the synthesis is refused before "training ...", as a usage error
        CliRun noTextures = CliRun.of("train", "--data", data.toString(), "--category", "c", "--out",
                tmp.resolve("t").toString(), "--set", "textureFolder=" + tmp.resolve("no-textures"));
        assertOneLineError(noTextures, "Texture folder " + tmp.resolve("no-textures") + " does not exist");
        assertThat(noTextures.out()).doesNotContain("training");
        Files.createDirectories(tmp.resolve("empty-textures"));
        CliRun emptyTextures = CliRun.of("train", "--data", data.toString(), "--category", "c", "--out",
                tmp.resolve("t").toString(), "--set", "textureFolder=" + tmp.resolve("empty-textures"));
        assertOneLineError(emptyTextures, "holds no image files");
        assertThat(emptyTextures.out()).doesNotContain("training");
        Files.writeString(tmp.resolve("empty-textures/x.png"), "not a picture");
        CliRun unreadableTextures = CliRun.of("train", "--data", data.toString(), "--category", "c", "--out",
                tmp.resolve("t").toString(), "--set", "textureFolder=" + tmp.resolve("empty-textures"));
        assertThat(unreadableTextures.code()).as(unreadableTextures.err()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(unreadableTextures.err()).contains("holds no readable texture image (1 file; the first: ")
                .contains("x.png");
        assertThat(unreadableTextures.out()).doesNotContain("training");
        assertThat(tmp.resolve("t")).doesNotExist();
        // a zoom that rounds away or that tiling ignores is named before the run
        CliRun rounded = CliRun.of("train", "--data", data.toString(), "--category", "broken", "--out",
                tmp.resolve("z").toString(), "--image-size", "64", "--set", "inspectionZoom=1.2");
        assertThat(rounded.err()).contains("warning: inspectionZoom 1.2 rounds to the 64 px input");
        CliRun tiled = CliRun.of("train", "--data", data.toString(), "--category", "broken", "--out",
                tmp.resolve("z").toString(), "--tile", "64", "--set", "inspectionZoom=2");
        assertThat(tiled.err()).contains("warning: inspectionZoom 2.0 has no effect with camera tiling");
        // nor the fresh parents of a nested one; a parent that was there stays
        CliRun nested = CliRun.of("train", "--data", data.toString(), "--category", "broken", "--out",
                tmp.resolve("new/models/run").toString());
        assertThat(nested.code()).isNotZero();
        assertThat(tmp.resolve("new")).doesNotExist();
        assertThat(tmp).exists();
        Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError(CliRun.of("train", "--data", data.toString(), "--category", "c", "--out",
                tmp.resolve("file").toString()), "is a file");
        assertOneLineError(CliRun.of("eval", "--data", data.toString(), "--category", "c", "--model", out,
                "--json", tmp.resolve("r.json").toString()), "no test/ folder");
        // a defect folder without pictures needs no masks (crack, checked first); one with a picture does
        Files.createDirectories(data.resolve("c/test/crack"));
        Files.createDirectories(data.resolve("c/test/scratch"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", data.resolve("c/test/scratch/000.png").toFile());
        assertOneLineError(CliRun.of("eval", "--data", data.toString(), "--category", "c", "--model", out,
                "--json", tmp.resolve("r.json").toString()), "test/scratch has no ground_truth/scratch");
        // a second name for a defect folder (test/scratch2 -> scratch) is not read, so it needs no masks of its own:
        // eval goes on to the model, here missing
        Files.createDirectories(data.resolve("c/ground_truth/scratch"));
        Files.createSymbolicLink(data.resolve("c/test/scratch2"), data.resolve("c/test/scratch"));
        CliRun secondName = CliRun.of("eval", "--data", data.toString(), "--category", "c", "--model", out,
                "--json", tmp.resolve("r.json").toString());
        assertOneLineError(secondName, "--model " + out);
        assertThat(secondName.err()).doesNotContain("scratch2");
        Files.delete(data.resolve("c/test/scratch2"));
        Files.delete(data.resolve("c/ground_truth/scratch"));
        Files.createDirectories(tmp.resolve("noimages"));
        assertOneLineError(CliRun.of("infer", "--model", tmp.toString(), "--images", tmp.resolve("noimages").toString(),
                "--out", tmp.resolve("o").toString()), "no image files");
        assertOneLineError(CliRun.of("bench", "--model", tmp.resolve("nomodel").toString()), "no such folder");
        assertOneLineError(CliRun.of("bench", "--model", tmp.resolve("nomodel").toString(), "--soak", "-5"),
                "--soak -5: must not be negative");
        assertOneLineError(CliRun.of("make-benchmark", "--out", tmp.resolve("b").toString(),
                tmp.resolve("missing.png").toString()), "no such file");
    }

    @Test
    void makeBenchmarkWritesACategoryPerTexture() throws IOException {
        Path brick = Path.of(System.getProperty("dmdd.fixtures", ".fixtures"),
                "deb/usr/lib/python3/dist-packages/skimage/data/brick.png");
        CliRun r = CliRun.of("make-benchmark", "--out", tmp.resolve("bench").toString(), "--crop", "64",
                "--train", "2", "--test-good", "1", "--test-per-defect", "1", brick.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(tmp.resolve("bench/brick/train/good/001.png")).exists();
        assertThat(tmp.resolve("bench/brick/ground_truth/pit/000_mask.png")).exists();
        assertThat(r.out()).contains("scratch, pit, stain, crack");
        // a category every later command could not name is not made
        for (String name : new String[] {"a,b.png", "all.png", " brick.png"}) {
            Path odd = Files.copy(brick, tmp.resolve(name));
            assertOneLineError(CliRun.of("make-benchmark", "--out", tmp.resolve("odd").toString(), odd.toString()),
                    "which --category cannot name");
        }
        assertThat(tmp.resolve("odd")).doesNotExist();
        // a file whose name starts with '-' is read as an option: the message names it and the two ways to give it
        Path dashed = Path.of("-dmdd-test-texture.png"); // relative: in the working folder, as a person would type it
        try {
            Files.copy(brick, dashed);
            assertOneLineError(CliRun.of("make-benchmark", "--out", tmp.resolve("dash").toString(), dashed.toString()),
                    "the file '-dmdd-test-texture.png' was read as an option: write ./-dmdd-test-texture.png or put "
                            + "-- before it");
        } finally {
            Files.deleteIfExists(dashed);
        }

        // the same texture twice would write one category and then fail: refused before anything is written
        CliRun twice = CliRun.of("make-benchmark", "--out", tmp.resolve("twice").toString(), "--crop", "64",
                "--train", "2", "--test-good", "1", "--test-per-defect", "1", brick.toString(), brick.toString());
        assertOneLineError(twice, "makes the category 'brick' as");
        assertThat(tmp.resolve("twice/brick")).doesNotExist();
    }

    @Test
    void aFolderThatIsNotAModelIsAUsageError() throws IOException {
        Path notAModel = Files.createDirectories(tmp.resolve("Documents"));
        Path images = Files.createDirectories(tmp.resolve("images"));
        ImageWriter.writePng(RgbImage.of(8, 8, new float[3 * 64]), images.resolve("a.png"));
        assertOneLineError(CliRun.of("infer", "--model", notAModel.toString(), "--images", images.toString(),
                "--out", tmp.resolve("out").toString()), notAModel.toString());
    }

    @Test
    void anOutputFolderInsideTheImagesIsRefused() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("shots"));
        ImageWriter.writePng(RgbImage.of(8, 8, new float[3 * 64]), images.resolve("a.png"));
        for (String out : new String[] {images.toString(), images.resolve("results").toString()}) {
            assertOneLineError(CliRun.of("infer", "--model", tmp.toString(), "--images", images.toString(),
                    "--out", out), "is inside --images");
        }
        try (var left = Files.list(images)) {
            assertThat(left).hasSize(1);
        }
    }
}
