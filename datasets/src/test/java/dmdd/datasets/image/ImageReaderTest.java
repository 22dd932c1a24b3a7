package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.Fixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReaderTest {
    @TempDir
    Path dir;

    private final ImageReader reader = new ImageReader(256);

    @Test
    void rgbPngRoundTripsExactly() throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        img.setRGB(4, 2, 0x0080ff);
        Path file = dir.resolve("rgb.png");
        ImageWriter.writePng(img, file);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.width()).isEqualTo(5);
        assertThat(rgb.height()).isEqualTo(3);
        assertThat(rgb.get(0, 0, 0)).isEqualTo(1f);
        assertThat(rgb.get(1, 0, 0)).isEqualTo(0f);
        assertThat(rgb.get(1, 4, 2)).isEqualTo(128 / 255f, within(1e-6f));
        assertThat(rgb.get(2, 4, 2)).isEqualTo(1f);
    }

    @Test
    void grayPngKeepsItsStoredValues() throws IOException {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 128);
        gray.getRaster().setSample(1, 0, 0, 50);
        Path file = dir.resolve("gray.png");
        ImageWriter.writePng(gray, file);

        RgbImage rgb = reader.read(file);

        // Java2D's getRGB would brighten 128 to 188 (it treats gray as linear light).
        for (int c = 0; c < 3; c++) {
            assertThat(rgb.get(c, 0, 0)).isEqualTo(128 / 255f, within(1e-6f));
            assertThat(rgb.get(c, 1, 0)).isEqualTo(50 / 255f, within(1e-6f));
        }
    }

    @Test
    void sixteenBitGrayPngIsScaledByItsDepth() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0);
        gray.getRaster().setSample(1, 0, 0, 32768);
        gray.getRaster().setSample(2, 0, 0, 65535);
        Path file = dir.resolve("gray16.png");
        ImageWriter.writePng(gray, file);
        assertThat(ImageIO.read(file.toFile()).getColorModel().getComponentSize(0)).isEqualTo(16);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.get(0, 0, 0)).isEqualTo(0f);
        assertThat(rgb.get(1, 1, 0)).isEqualTo(32768 / 65535f, within(1e-5f));
        assertThat(rgb.get(2, 2, 0)).isEqualTo(1f);
    }

    @Test
    void palettePngGivesThePaletteColours() throws IOException {
        byte[] r = {0, (byte) 255, 0};
        byte[] g = {0, 0, (byte) 200};
        byte[] b = {0, 0, 0};
        IndexColorModel palette = new IndexColorModel(2, 3, r, g, b);
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        img.getRaster().setSample(1, 0, 0, 1);
        img.getRaster().setSample(2, 0, 0, 2);
        Path file = dir.resolve("palette.png");
        ImageWriter.writePng(img, file);
        assertThat(ImageIO.read(file.toFile()).getColorModel()).isInstanceOf(IndexColorModel.class);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.get(0, 1, 0)).isEqualTo(1f);
        assertThat(rgb.get(1, 1, 0)).isEqualTo(0f);
        assertThat(rgb.get(1, 2, 0)).isEqualTo(200 / 255f, within(1e-6f));
    }

    @Test
    void rgbaPngIsCompositedOverBlack() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00ffffff); // fully transparent white
        img.setRGB(1, 0, 0xff00ff00); // opaque green
        Path file = dir.resolve("rgba.png");
        ImageWriter.writePng(img, file);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.get(0, 0, 0)).isEqualTo(0f);
        assertThat(rgb.get(1, 1, 0)).isEqualTo(1f);
        assertThat(rgb.get(0, 1, 0)).isEqualTo(0f);
    }

    @Test
    void cmykJpegBecomesRgb() throws IOException {
        // A 4-channel JPEG is CMYK. Such files (Photoshop's) store ink amounts inverted, 255 = no
        // ink, and readers expect that. Left half pure cyan ink, right half no ink at all.
        int w = 32;
        int h = 16;
        WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int band = 0; band < 4; band++) {
                    boolean ink = band == 0 && x < w / 2;
                    cmyk.setSample(x, y, band, ink ? 0 : 255);
                }
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(jpeg)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        Path file = dir.resolve("cmyk.jpg");
        Files.write(file, TestImages.withAdobeCmykMarker(jpeg.toByteArray()));

        RgbImage rgb = reader.read(file);

        assertThat(rgb.width()).isEqualTo(w);
        float[] cyan = {rgb.get(0, 4, 8), rgb.get(1, 4, 8), rgb.get(2, 4, 8)};
        float[] paper = {rgb.get(0, 28, 8), rgb.get(1, 28, 8), rgb.get(2, 28, 8)};
        assertThat(cyan[0]).as("cyan ink absorbs red").isLessThan(0.5f);
        assertThat(cyan[1]).isGreaterThan(cyan[0] + 0.2f);
        assertThat(cyan[2]).isGreaterThan(cyan[0] + 0.2f);
        for (float v : paper) {
            assertThat(v).as("no ink is white paper").isGreaterThan(0.85f);
        }

        // the same channels without the Adobe marker: decoders disagree (this one read the picture as YCCK, nearly
        // black, where libjpeg reads plain CMYK), so it is refused by name, not trained on as some other picture
        Path untold = dir.resolve("untold.jpg");
        Files.write(untold, jpeg.toByteArray());
        assertThatThrownBy(() -> reader.read(untold)).isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("untold.jpg").hasMessageContaining("four colour channels and no Adobe marker");
        assertThat(ImageReader.decode(file, 64).width()).as("the stream is read from its start after the check")
                .isEqualTo(w);
    }

    @Test
    void exifOrientationSixIsTurnedClockwise() throws IOException {
        // Stored 40x20: left half red, right half blue. Orientation 6 means "turn 90 degrees clockwise
        // to display", so the image becomes 20x40 with red on top and blue below.
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 20, 20);
        g.setColor(Color.BLUE);
        g.fillRect(20, 0, 20, 20);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        Path file = dir.resolve("rotated.jpg");
        Files.write(file, TestImages.withExifOrientation(jpeg.toByteArray(), 6));
        assertThat(ImageReader.exifOrientation(file)).isEqualTo(6);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.width()).isEqualTo(20);
        assertThat(rgb.height()).isEqualTo(40);
        assertThat(rgb.get(0, 10, 5)).as("red on top").isGreaterThan(0.8f);
        assertThat(rgb.get(2, 10, 5)).isLessThan(0.2f);
        assertThat(rgb.get(2, 10, 35)).as("blue below").isGreaterThan(0.8f);
        assertThat(rgb.get(0, 10, 35)).isLessThan(0.2f);
    }

    @Test
    void tiffOrientationTagIsApplied() throws IOException {
        // Stored 3x2: top row red, green, blue; bottom row black. Orientation 8 means "turn 90
        // degrees counter-clockwise to display": 2x3 with the stored top-right (blue) at top-left.
        int[] rgb = {0xff0000, 0x00ff00, 0x0000ff, 0, 0, 0};
        Path file = dir.resolve("rotated.tif");
        Files.write(file, TestImages.tiffWithOrientation(3, 2, rgb, 8));
        assertThat(ImageReader.tiffOrientation(file)).isEqualTo(8);

        RgbImage img = reader.read(file);

        assertThat(img.width()).isEqualTo(2);
        assertThat(img.height()).isEqualTo(3);
        assertThat(img.get(2, 0, 0)).as("blue top-left").isEqualTo(1f);
        assertThat(img.get(0, 0, 2)).as("red bottom-left").isEqualTo(1f);
        assertThat(img.get(0, 1, 2)).as("black right column").isEqualTo(0f);
    }

    @Test
    void everyOrientationMapsTheCornersAsExifDefines() {
        // 3x2 image whose pixel values are their index; check where the stored top-left goes.
        float[] chw = new float[18];
        for (int i = 0; i < 6; i++) {
            chw[i] = i;
        }
        RgbImage img = RgbImage.of(3, 2, chw);
        assertThat(ImageReader.orient(img, 1)).isSameAs(img);
        assertThat(topLeftIndexAfter(img, 2)).isEqualTo(2); // mirrored: old top-right
        assertThat(topLeftIndexAfter(img, 3)).isEqualTo(5); // 180: old bottom-right
        assertThat(topLeftIndexAfter(img, 4)).isEqualTo(3); // flipped: old bottom-left
        assertThat(topLeftIndexAfter(img, 5)).isEqualTo(0); // transposed
        assertThat(topLeftIndexAfter(img, 6)).isEqualTo(3); // clockwise: old bottom-left
        assertThat(topLeftIndexAfter(img, 7)).isEqualTo(5); // transversed: old bottom-right
        assertThat(topLeftIndexAfter(img, 8)).isEqualTo(2); // counter-clockwise: old top-right
        assertThat(ImageReader.orient(img, 6).width()).isEqualTo(2);
    }

    private static int topLeftIndexAfter(RgbImage img, int orientation) {
        return (int) ImageReader.orient(img, orientation).get(0, 0, 0);
    }

    @Test
    void hugePngIsReadInBandsAndEveryRowOfItCounts() throws IOException {
        Path file = dir.resolve("huge.png");
        int whiteRow = 46 * 100 + 1; // a row that keeping one row in 46 (the step here) would skip
        TestImages.writeSolidPng(file, 12000, 9000, 200, 100, 50, whiteRow);
        assertThat(Files.size(file)).as("the test file itself is small").isLessThan(2_000_000);

        RgbImage rgb = reader.read(file);

        assertThat(rgb.width()).isEqualTo(256);
        assertThat(rgb.height()).isEqualTo(192);
        assertThat(rgb.get(0, 100, 20)).isEqualTo(200 / 255f, within(1e-5f));
        assertThat(rgb.get(2, 255, 191)).isEqualTo(50 / 255f, within(1e-5f));
        // The 1 px white row is one of about 47 source rows an output row covers: that row's blue is brighter by
        // about (255 - 50) / 47 / 255 = 0.017 (at least half where it straddles two output rows); skipped, by 0.
        float brightest = 0;
        for (int y = 0; y < 192; y++) {
            brightest = Math.max(brightest, rgb.get(2, 100, y));
        }
        assertThat(brightest - 50 / 255f).isGreaterThan((255 - 50) / 47f / 255 / 2);
    }

    @Test
    void largeImagesAreReducedToMaxSideAndSmallOnesKept() throws IOException {
        BufferedImage big = new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB);
        Path bigFile = dir.resolve("big.png");
        ImageWriter.writePng(big, bigFile);
        BufferedImage small = new BufferedImage(100, 40, BufferedImage.TYPE_INT_RGB);
        Path smallFile = dir.resolve("small.png");
        ImageWriter.writePng(small, smallFile);

        RgbImage reduced = reader.read(bigFile);
        RgbImage kept = reader.read(smallFile);

        assertThat(reduced.width()).isEqualTo(256);
        assertThat(reduced.height()).isEqualTo(128);
        assertThat(kept.width()).isEqualTo(100);
        assertThat(kept.height()).isEqualTo(40);
        assertThat(ImageReader.subsamplingStep(12000, 9000, 256)).isEqualTo(46);
        assertThat(ImageReader.subsamplingStep(600, 300, 256)).isEqualTo(2);
    }

    @Test
    void bmpTiffAndGifAreRead() throws IOException {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 2, 0xffffff);
        for (String format : new String[] {"bmp", "tiff", "gif"}) {
            Path file = dir.resolve("img." + format);
            BufferedImage toWrite = img;
            if (format.equals("gif")) {
                toWrite = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_INDEXED);
                toWrite.setRGB(3, 2, 0xffffff);
            }
            assertThat(ImageIO.write(toWrite, format, file.toFile())).as(format).isTrue();

            RgbImage rgb = reader.read(file);

            assertThat(rgb.width()).as(format).isEqualTo(8);
            assertThat(rgb.get(1, 3, 2)).as(format).isEqualTo(1f);
            assertThat(rgb.get(1, 0, 0)).as(format).isEqualTo(0f);
        }
    }

    @Test
    void realFilesFromScikitImageAreRead() throws IOException {
        RgbImage u16Tiff = new ImageReader(Integer.MAX_VALUE).read(Fixtures.skimage("chessboard_GRAY_U16.tif"));
        RgbImage palette = reader.read(Fixtures.skimage("palette_color.png"));
        RgbImage multipage = reader.read(Fixtures.skimage("multipage_rgb.tif"));
        RgbImage gif = reader.read(Fixtures.skimage("no_time_for_that_tiny.gif"));
        RgbImage jpeg = reader.read(Fixtures.skimage("hubble_deep_field.jpg"));
        RgbImage photo = reader.read(Fixtures.skimage("astronaut.png"));

        // scikit-image made this file from the 8-bit chessboard, so its 16-bit samples are 0 and 255.
        float[] values = u16Tiff.chw();
        float min = 1;
        float max = 0;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(255 / 65535f, within(1e-7f));
        assertThat(palette.width()).isPositive();
        assertThat(multipage.width()).isPositive();
        assertThat(gif.width()).isPositive();
        assertThat(Math.max(jpeg.width(), jpeg.height())).isEqualTo(256);
        assertThat(photo.width()).isEqualTo(256); // 512 x 512 reduced
    }

    @Test
    void truncatedPngIsRejectedWithItsName() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        Path whole = dir.resolve("whole.png");
        ImageWriter.writePng(img, whole);
        byte[] bytes = Files.readAllBytes(whole);
        Path file = dir.resolve("truncated.png");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertUnreadable(file, "truncated");
    }

    @Test
    void truncatedJpegIsRejected() throws IOException {
        byte[] jpeg = noiseJpeg(64, 2);
        Path file = dir.resolve("truncated.jpg");
        Files.write(file, Arrays.copyOf(jpeg, jpeg.length / 2));

        assertUnreadable(file, "truncated");
        assertUnreadable(Fixtures.skimage("truncated.jpg"), "truncated");
    }

    @Test
    void aJpegDamagedInsideItsScanIsRejectedNotReadAsAShiftedPicture() throws IOException {
        byte[] bytes = noiseJpeg(128, 4);
        Path intact = Files.write(dir.resolve("intact.jpg"), bytes);
        assertThat(reader.read(intact).width()).isEqualTo(128);
        // 40 bytes in the middle of the entropy-coded data replaced by one marker-like pattern
        for (int i = 0; i < 40; i++) {
            bytes[bytes.length / 2 + i] = (byte) (i % 2 == 0 ? 0xff : 0xd3);
        }
        Path damaged = Files.write(dir.resolve("damaged.jpg"), bytes);
        assertUnreadable(damaged, "corrupt JPEG data");
        // a few bytes of an encoder's padding before the end marker: the picture decodes completely
        assertThat(ImageReader.isDamageWarning("Corrupt JPEG data: 2 extraneous bytes before marker 0xd9")).isFalse();
        assertThat(ImageReader.isDamageWarning("Corrupt JPEG data: 100 extraneous bytes before marker 0xd9")).isTrue();
        assertThat(ImageReader.isDamageWarning("Corrupt JPEG data: 4 extraneous bytes before marker 0xd3")).isTrue();
        byte[] padded = noiseJpeg(64, 5);
        byte[] withPadding = new byte[padded.length + 4];
        System.arraycopy(padded, 0, withPadding, 0, padded.length - 2);
        withPadding[withPadding.length - 2] = (byte) 0xff;
        withPadding[withPadding.length - 1] = (byte) 0xd9;
        assertThat(reader.read(Files.write(dir.resolve("padded.jpg"), withPadding)).width()).isEqualTo(64);
    }

    @Test
    void floatingPointPicturesOutsideZeroToOneOrWithNaNAreRejectedByName() throws IOException {
        for (float[] values : new float[][] {{0.2f, 0.8f}, {0f, 1f}, {40f, 255f}, {0.5f, Float.NaN}}) {
            java.awt.image.WritableRaster raster = java.awt.image.Raster.createWritableRaster(
                    new java.awt.image.BandedSampleModel(java.awt.image.DataBuffer.TYPE_FLOAT, 16, 16, 1), null);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    raster.setSample(x, y, 0, x < 8 ? values[0] : values[1]);
                }
            }
            java.awt.image.ColorModel cm = new java.awt.image.ComponentColorModel(
                    java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), false, false,
                    java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
            Path file = dir.resolve("float-" + values[1] + ".tif");
            // the JDK's TIFF writer: TwelveMonkeys' writes no floating-point samples
            javax.imageio.ImageWriter writer = java.util.stream.StreamSupport.stream(
                    java.util.Spliterators.spliteratorUnknownSize(ImageIO.getImageWritersByFormatName("tiff"), 0), false)
                    .filter(w -> w.getClass().getName().startsWith("com.sun.imageio")).findFirst().orElseThrow();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(new BufferedImage(cm, raster, false, null));
            } finally {
                writer.dispose();
            }
            if (values[1] <= 1f) {
                // within 0..1, a half-black, half-white picture (a part on a black background) too
                RgbImage read = reader.read(file);
                assertThat(read.chw()[0]).isCloseTo(values[0], within(1e-6f));
                assertThat(read.chw()[15]).isCloseTo(values[1], within(1e-6f));
            } else if (Float.isNaN(values[1])) {
                assertUnreadable(file, "not numbers");
            } else {
                assertUnreadable(file, "outside 0 to 1");
            }
        }
    }

    @Test
    void aHeaderClaimingMoreThanTwoGigapixelsIsRejectedBeforeDecoding() throws IOException {
        // a PNG signature and an IHDR chunk of 50 000 x 50 000 px, nothing after it
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 25);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        byte[] ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(50_000).putInt(50_000).put(new byte[] {8, 2, 0, 0, 0}).array();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        png.putInt(13).put(ihdr).putInt((int) crc.getValue());
        Path file = Files.write(dir.resolve("huge.png"), png.array());
        assertUnreadable(file, "2500 megapixels");
    }

    @Test
    void randomBytesNamedPngAreRejected() throws IOException {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 0x01; // not accidentally a signature
        Path file = dir.resolve("noise.png");
        Files.write(file, noise);

        assertUnreadable(file, "not an image");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.png"));

        assertUnreadable(file, "empty");
    }

    @Test
    void textFileIsRejected() throws IOException {
        Path file = dir.resolve("notes.jpg");
        Files.writeString(file, "These are my notes, not a photo.\n", StandardCharsets.UTF_8);

        assertUnreadable(file, "text file");
    }

    @Test
    void missingFileAndFolderAreRejected() throws IOException {
        assertUnreadable(dir.resolve("nowhere.png"), "does not exist");
        assertUnreadable(Files.createDirectory(dir.resolve("folder.png")), "folder");
    }

    /** A JPEG of random colours (side x side), whose entropy-coded data fills most of the file. */
    private static byte[] noiseJpeg(int side, long seed) throws IOException {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        return jpeg.toByteArray();
    }

    private static void assertUnreadable(Path file, String reasonFragment) {
        assertThatThrownBy(() -> new ImageReader(256).read(file))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> {
                    UnreadableImageException u = (UnreadableImageException) e;
                    assertThat(u.file()).isEqualTo(file);
                    assertThat(u.reason()).containsIgnoringCase(reasonFragment);
                });
    }


    /** Reads every file of a folder and prints each outcome (a child JVM under a chosen locale). */
    public static final class ReadUnderCLocale {
        public static void main(String[] args) throws IOException {
            try (var files = Files.list(Path.of(args[0]))) {
                for (Path f : files.sorted().toList()) {
                    try {
                        new ImageReader(64).read(f);
                        System.out.println("read");
                    } catch (UnreadableImageException e) {
                        System.out.println("unreadable: " + e.reason());
                    }
                }
            }
        }
    }

    /** Reads every file of the test folder in a child JVM under the locale {@code LC_ALL} names; its outcomes. */
    private String readAllInChildJvm(String locale) throws Exception {
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ReadUnderCLocale.class.getName(), dir.toString());
        child.environment().remove("LANG");
        child.environment().put("LC_ALL", locale);
        child.redirectErrorStream(true);
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aNameTheCLocaleCannotSpellIsReadAllTheSame() throws Exception {
        TestImages.writeSolidPng(dir.resolve("plain.png"), 8, 8, 1, 2, 3);
        TestImages.writeSolidPng(dir.resolve("\u00e9 \u65e5\u672c.png"), 8, 8, 1, 2, 3);
        String out = readAllInChildJvm("C");
        // it failed, saying to start under a UTF-8 locale: the listed path keeps the name's bytes, and is read by them
        assertThat(out.lines().filter(line -> line.equals("read"))).as(out).hasSize(2);
    }

    @Test
    void aNameThatIsNotUtf8OnAUtf8SystemIsReadAll() throws Exception {
        TestImages.writeSolidPng(dir.resolve("plain.png"), 8, 8, 1, 2, 3);
        // "caf\xe9.png": the Latin-1 name an old camera PC or a Windows share gives, invalid as UTF-8
        Process copy = new ProcessBuilder("sh", "-c", "cp plain.png \"$(printf 'caf\\351.png')\"")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(copy.waitFor()).isZero();
        String out = readAllInChildJvm("C.UTF-8");
        assertThat(out.lines().filter(line -> line.equals("read"))).as(out).hasSize(2);
    }

    @Test
    void blockAveragingGivesTheBlockMeansOfTheFullPictureWhateverItsStorage() throws IOException {
        java.util.Random random = new java.util.Random(5);
        int w = 1031;
        int h = 517; // not multiples of the step: partial blocks at the right and bottom edges
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
            BufferedImage picture = new BufferedImage(w, h, type);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    picture.setRGB(x, y, random.nextInt());
                }
            }
            Path file = dir.resolve("picture-" + type + ".png");
            javax.imageio.ImageIO.write(picture, "png", file.toFile());
            RgbImage full = RgbImage.fromBufferedImage(javax.imageio.ImageIO.read(file.toFile()));
            int step = ImageReader.subsamplingStep(w, h, 256); // 4
            RgbImage averaged = ImageReader.decode(file, 256).rgb();
            int outW = (w + step - 1) / step;
            int outH = (h + step - 1) / step;
            assertThat(averaged.width()).isEqualTo(outW);
            assertThat(averaged.height()).isEqualTo(outH);
            for (int c = 0; c < 3; c++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float sum = 0;
                        int n = 0;
                        for (int y = oy * step; y < Math.min(h, oy * step + step); y++) {
                            for (int x = ox * step; x < Math.min(w, ox * step + step); x++) {
                                sum += full.get(c, x, y);
                                n++;
                            }
                        }
                        assertThat(averaged.get(c, ox, oy)).as("type %d", type).isCloseTo(sum / n, within(1e-5f));
                    }
                }
            }
        }
    }
}
