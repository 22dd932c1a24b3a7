package dmdd.datasets.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the image files users have into {@link RgbImage}s no larger than a given side.
 *
 * <p>Formats: PNG, JPEG (including CMYK/YCCK, through TwelveMonkeys), BMP, TIFF (TwelveMonkeys),
 * GIF (first frame); multi-image files give their first image. Gray, 16-bit, palette and alpha
 * images become RGB (alpha composited over black). The orientation tag of a JPEG (EXIF) or a TIFF
 * is applied, so the image comes out as a photo viewer shows it.
 *
 * <p>Huge files are never held at full size: the file is decoded in bands of rows, and each band is averaged
 * over blocks of step x step pixels (the integer step that keeps the longer side at least {@code maxSide}), so
 * every pixel of the file counts (a decoder's subsampling would keep one row and column in {@code step} and
 * drop a thin line on the others); then the anti-aliased, area-averaging resize ({@link FloatPlanes#resize})
 * brings the longer side to {@code maxSide}. Smaller images are not enlarged. Network inputs are read through
 * {@link Preprocessing}, which chooses {@code maxSide} well above the input side.
 *
 * <p>Every failure (missing, empty, not an image, unsupported format, corrupt or truncated data)
 * is an {@link UnreadableImageException} naming the file and the problem. Instances are immutable
 * and may be shared between threads.
 */
public final class ImageReader implements ImageLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ImageReader.class);

    static {
        // The TwelveMonkeys readers register through META-INF/services when ImageIO first starts;
        // a rescan also finds them when this class was loaded by a different class loader.
        ImageIO.scanForPlugins();
    }

    private final int maxSide;

    /**
     * @param maxSide the longest side, in pixels, of the images this reader returns; at least 1
     *                ({@link Integer#MAX_VALUE} keeps every image at its full size)
     */
    public ImageReader(int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be at least 1, got " + maxSide);
        }
        this.maxSide = maxSide;
    }

    /** @return the longest side of the returned images */
    public int maxSide() {
        return maxSide;
    }

    /**
     * Reads an image file.
     *
     * @param file the file
     * @return the image, upright, its longer side at most {@link #maxSide()}
     * @throws UnreadableImageException when the file is not a readable image
     */
    @Override
    public RgbImage read(Path file) throws UnreadableImageException {
        return readSized(file).image();
    }

    /**
     * An image as read, with the size of the file's full-resolution picture.
     *
     * @param image          the image, upright, its longer side at most {@link #maxSide()}
     * @param originalWidth  the upright full-resolution width in the file
     * @param originalHeight the upright full-resolution height in the file
     */
    public record Sized(RgbImage image, int originalWidth, int originalHeight) {
    }

    /**
     * The size of an image file's first picture from its header alone (nothing is decoded); the EXIF or TIFF
     * orientation is not applied.
     *
     * @param file an image file
     * @return {@code {width, height}}
     * @throws UnreadableImageException when the file is not a readable image
     */
    public static int[] dimensions(Path file) throws UnreadableImageException {
        checkFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UnreadableImageException(file, describeUnknownContent(file));
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(file, "cannot read the image header (" + describe(e) + ")", e);
        }
    }

    /**
     * Reads an image file and says how large it is at full resolution (to check that a mask belongs to it).
     *
     * @param file the file
     * @return the image and the file's upright full size
     * @throws UnreadableImageException when the file is not a readable image
     */
    public Sized readSized(Path file) throws UnreadableImageException {
        Decoded decoded = decode(file, maxSide);
        RgbImage image;
        try {
            image = decoded.rgb();
        } catch (OutOfMemoryError e) {
            // The decoded picture fitted, its float copy did not: this image fails, the run goes on.
            throw new UnreadableImageException(file, "too large to hold in the memory available ("
                    + decoded.decodedSize()[0] + " x " + decoded.decodedSize()[1] + " px; give Java more "
                    + "memory with -Xmx)", null);
        }
        int orientation = 1;
        if (decoded.isJpeg()) {
            orientation = exifOrientation(file);
        } else if (decoded.isTiff()) {
            orientation = tiffOrientation(file);
        }
        image = orient(image, orientation);
        boolean swap = orientation >= 5 && orientation <= 8;
        return new Sized(fit(image, maxSide), swap ? decoded.height() : decoded.width(),
                swap ? decoded.width() : decoded.height());
    }

    /**
     * Scales an image down (area-averaging) so that its longer side is at most {@code maxSide}, keeping
     * the aspect ratio; smaller images are returned as they are.
     *
     * @param image   the image
     * @param maxSide the longest side allowed
     * @return the image or its reduced copy
     */
    public static RgbImage fit(RgbImage image, int maxSide) {
        int w = image.width();
        int h = image.height();
        if (Math.max(w, h) <= maxSide) {
            return image;
        }
        if (w >= h) {
            return image.resize(maxSide, Math.max(1, (int) Math.round((double) h * maxSide / w)));
        }
        return image.resize(Math.max(1, (int) Math.round((double) w * maxSide / h)), maxSide);
    }

    /** A decoded image and the name of the format it came from. */
    record Decoded(BufferedImage image, RgbImage averaged, String format, int width, int height) {
        /** @return the picture as floating point (the block averages of a large file, else the decoded image) */
        RgbImage rgb() {
            return averaged != null ? averaged : RgbImage.fromBufferedImage(image);
        }

        /** @return the decoded picture's size, {@code {width, height}} */
        int[] decodedSize() {
            return averaged != null ? new int[] {averaged.width(), averaged.height()}
                    : new int[] {image.getWidth(), image.getHeight()};
        }

        boolean isJpeg() {
            return format.equalsIgnoreCase("jpeg") || format.equalsIgnoreCase("jpg");
        }

        boolean isTiff() {
            return format.equalsIgnoreCase("tiff") || format.equalsIgnoreCase("tif");
        }
    }

    /**
     * Decodes the first image of a file with ImageIO, subsampled so that its longer side stays
     * at least {@code maxSide} and no decoded buffer is larger than needed.
     *
     * @param file    the file
     * @param maxSide the side the caller will reduce the image to
     * @return the decoded image (not oriented, not resized)
     * @throws UnreadableImageException when the file is not a readable image
     */
    static Decoded decode(Path file, int maxSide) throws UnreadableImageException {
        try {
            return decodeNamed(file, maxSide);
        } catch (java.nio.file.InvalidPathException e) {
            // Under a C or POSIX locale Java cannot open names outside ASCII: this file fails, the run goes on.
            throw new UnreadableImageException(file, "its name cannot be opened with this system's character set ("
                    + System.getProperty("sun.jnu.encoding") + "); start the program under a UTF-8 locale, e.g. "
                    + "LANG=C.UTF-8", e);
        }
    }

    private static Decoded decodeNamed(Path file, int maxSide) throws UnreadableImageException {
        checkFile(file);
        ImageInputStream input;
        try {
            // A name that is not valid in the system's character set (a Latin-1 "café" on a UTF-8 system) has lost
            // bytes in its text form, which java.io.File goes by; the path itself keeps them, so the file is read
            // through it (into memory: such names are rare, and the fast random-access reader needs a File).
            input = file.toString().indexOf('\uFFFD') >= 0
                    ? ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(Files.readAllBytes(file)))
                    : ImageIO.createImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new UnreadableImageException(file, "cannot open the file (" + e.getMessage() + ")", e);
        }
        if (input == null) {
            throw new UnreadableImageException(file, "cannot open the file");
        }
        try (ImageInputStream in = input) {
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException(file, describeUnknownContent(file));
            }
            javax.imageio.ImageReader reader = readers.next();
            String format = formatName(reader);
            List<String> warnings = new ArrayList<>();
            try {
                if (format.equalsIgnoreCase("jpeg") && hasUntoldChannels(in)) {
                    throw new UnreadableImageException(file, "is a JPEG with four colour channels and no Adobe "
                            + "marker to say whether they are CMYK or YCCK; programs decode it to different colours, "
                            + "so it is not read (save it as an RGB JPEG or a PNG)");
                }
                reader.setInput(in, true, false);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1) {
                    throw new UnreadableImageException(file, format + " header gives an empty size "
                            + width + "x" + height);
                }
                if ((long) width * height > MAX_PIXELS) {
                    throw new UnreadableImageException(file, String.format(Locale.ROOT, "is %d x %d px (%.0f "
                            + "megapixels), more than the %d megapixels a picture may have here; cut it into "
                            + "parts first", width, height, (double) width * height / 1e6, MAX_PIXELS / 1_000_000));
                }
                int step = subsamplingStep(width, height, maxSide);
                BufferedImage image = null;
                RgbImage averaged = null;
                if (step > 1) {
                    averaged = decodeAveraged(file, reader, width, height, step);
                } else {
                    image = reader.read(0, reader.getDefaultReadParam());
                    checkFloatSamples(file, image);
                }
                for (String warning : warnings) {
                    if (isTruncationWarning(warning)) {
                        throw new UnreadableImageException(file, "truncated " + format + " data (" + warning + ")");
                    }
                    if (isDamageWarning(warning)) {
                        // the decoder went on past damage: the picture it gives is partly wrong (shifted, smeared),
                        // and a model would score it as if it were the part
                        throw new UnreadableImageException(file, "corrupt " + format + " data (" + warning + ")");
                    }
                    LOG.debug("{}: decoder warning: {}", file, warning);
                }
                return new Decoded(image, averaged, format, width, height);
            } catch (UnreadableImageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new UnreadableImageException(file,
                        "corrupt or truncated " + format + " data (" + describe(e) + ")", e);
            } catch (OutOfMemoryError e) {
                // The failed allocation is garbage at once; the import carries on with the next file.
                throw new UnreadableImageException(file, "too large to decode in the available memory", null);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e instanceof UnreadableImageException u) {
                throw u;
            }
            throw new UnreadableImageException(file, "cannot read the file (" + describe(e) + ")", e);
        }
    }

    /** Pixels of the file decoded at once at least: a band of rows holds about this many, or more where memory allows. */
    static final int BAND_PIXELS = 16_000_000;
    /**
     * The largest picture read, in pixels (two gigapixels: a line-scan camera's 16 384 x 100 000 px strip fits). A
     * decoder reads each band by decoding every row above it again, so far larger files take hours, not seconds.
     */
    static final long MAX_PIXELS = 2_000_000_000L;

    /**
     * Floating-point samples are read as light from 0 to 1: a value that is not a number would make every score of
     * the picture NaN (blamed on the model), and values beyond 1 are clipped to a blank picture.
     */
    private static void checkFloatSamples(Path file, BufferedImage image) throws UnreadableImageException {
        java.awt.image.Raster raster = image.getRaster();
        int type = raster.getTransferType();
        if (type != java.awt.image.DataBuffer.TYPE_FLOAT && type != java.awt.image.DataBuffer.TYPE_DOUBLE) {
            return;
        }
        int w = raster.getWidth();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long atEnds = 0;
        double[] row = new double[w];
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int b = 0; b < raster.getNumBands(); b++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, b, row);
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        throw new UnreadableImageException(file, "holds pixel values that are not numbers (" + v
                                + " in row " + y + "); save it without them");
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    if (v == 1) {
                        atEnds++;
                    }
                }
            }
        }
        long samples = (long) w * raster.getHeight() * raster.getNumBands();
        // the TIFF decoder clips floating-point samples to 0..1 itself: a picture stored as 0..255 or 0..65535
        // arrives as a blank white one, most of its pixels at exactly 1 (a black background, exactly 0, is common)
        if (min < 0 || max > 1 || atEnds * 2 > samples) {
            throw new UnreadableImageException(file, String.format(Locale.ROOT, "holds floating-point pixel values "
                    + "outside 0 to 1 (%.0f %% of them are read as exactly 1: clipped); scale them to 0..1 or "
                    + "save it as an 8- or 16-bit image", 100.0 * atEnds / samples));
        }
    }
    /** Pixels of a band turned into floating point at once. */
    private static final int CONVERT_PIXELS = 1_000_000;

    /**
     * Decodes an image in bands of rows and averages each block of {@code step x step} pixels (fewer at the right
     * and bottom edges) into one, so that memory stays bounded and no row or column of the file is skipped.
     */
    private static RgbImage decodeAveraged(Path file, javax.imageio.ImageReader reader, int width, int height,
            int step) throws IOException {
        int outW = (width + step - 1) / step;
        int outH = (height + step - 1) / step;
        int plane = outW * outH;
        float[] sums = new float[3 * plane];
        // Decoded at once where a quarter of the free heap holds it (8 bytes a pixel covers 16-bit RGBA): a decoder
        // reads a band by decoding every row above it again. Otherwise whole blocks per band, so that a block never
        // spans two bands' reads.
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long bandPixels = Math.max(BAND_PIXELS, free / 4 / 8);
        int bandRows = 8L * width * height <= free / 4 ? height
                : (int) Math.min(height, Math.max(1, bandPixels / ((long) width * step)) * step);
        int convertRows = Math.max(1, CONVERT_PIXELS / width);
        int[] block = new int[width];
        for (int x = 0; x < width; x++) {
            block[x] = x / step;
        }
        ImageReadParam param = reader.getDefaultReadParam();
        for (int y0 = 0; y0 < height; y0 += bandRows) {
            int rows = Math.min(bandRows, height - y0);
            if (rows < height) {
                param.setSourceRegion(new java.awt.Rectangle(0, y0, width, rows));
            }
            BufferedImage band = reader.read(0, param);
            checkFloatSamples(file, band);
            if (addInterleavedBytes(band, y0, step, outW, plane, sums, block)) {
                continue;
            }
            for (int r0 = 0; r0 < band.getHeight(); r0 += convertRows) {
                int n = Math.min(convertRows, band.getHeight() - r0);
                RgbImage part = RgbImage.fromBufferedImage(band.getSubimage(0, r0, band.getWidth(), n));
                float[] chw = part.chw();
                int partPlane = part.width() * n;
                for (int r = 0; r < n; r++) {
                    int outRow = (y0 + r0 + r) / step * outW;
                    for (int c = 0; c < 3; c++) {
                        int in = c * partPlane + r * part.width();
                        int out = c * plane + outRow;
                        for (int x = 0; x < part.width(); x++) {
                            sums[out + block[x]] += chw[in + x];
                        }
                    }
                }
            }
        }
        for (int oy = 0; oy < outH; oy++) {
            int blockH = Math.min(step, height - oy * step);
            for (int ox = 0; ox < outW; ox++) {
                float area = blockH * Math.min(step, width - ox * step);
                for (int c = 0; c < 3; c++) {
                    sums[c * plane + oy * outW + ox] /= area;
                }
            }
        }
        return RgbImage.of(outW, outH, sums);
    }

    /**
     * The block sums straight from the bytes of an 8-bit sRGB picture without alpha stored pixel by pixel (what the
     * JPEG and PNG readers give for colour photos), the same values to the bit as through
     * {@link RgbImage#fromBufferedImage} (each sample divided by 255, added in the same order) at a third of the time.
     *
     * @return false when the picture is stored otherwise (the caller converts it)
     */
    private static boolean addInterleavedBytes(BufferedImage band, int y0, int step, int outW, int plane,
            float[] sums, int[] block) {
        java.awt.image.Raster raster = band.getRaster();
        java.awt.image.ColorModel cm = band.getColorModel();
        if (!(cm instanceof java.awt.image.ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.hasAlpha()
                || cm.getNumComponents() != 3 || cm.getComponentSize(0) != 8 || cm.getComponentSize(1) != 8
                || cm.getComponentSize(2) != 8
                || !(raster.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm)
                || !(raster.getDataBuffer() instanceof java.awt.image.DataBufferByte bytes)
                || bytes.getNumBanks() != 1) {
            return false;
        }
        byte[] data = bytes.getData();
        int[] offsets = sm.getBandOffsets();
        int pixelStride = sm.getPixelStride();
        int scanline = sm.getScanlineStride();
        int x0 = -raster.getSampleModelTranslateX();
        int firstRow = -raster.getSampleModelTranslateY();
        int w = band.getWidth();
        for (int r = 0; r < band.getHeight(); r++) {
            int outRow = (y0 + r) / step * outW;
            int rowStart = bytes.getOffset() + (firstRow + r) * scanline + x0 * pixelStride;
            for (int c = 0; c < 3; c++) {
                int in = rowStart + offsets[c];
                int out = c * plane + outRow;
                for (int x = 0; x < w; x++) {
                    sums[out + block[x]] += (data[in + x * pixelStride] & 0xff) / 255f;
                }
            }
        }
        return true;
    }

    /**
     * The integer step that reduces the longer side as much as possible while keeping it at
     * least {@code maxSide}.
     */
    static int subsamplingStep(int width, int height, int maxSide) {
        return Math.max(1, Math.max(width, height) / maxSide);
    }

    private static void checkFile(Path file) throws UnreadableImageException {
        if (Files.isDirectory(file)) {
            throw new UnreadableImageException(file, "is a folder, not an image file");
        }
        if (!Files.exists(file)) {
            throw new UnreadableImageException(file, "file does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new UnreadableImageException(file, "no permission to read the file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new UnreadableImageException(file, "file is empty (0 bytes)");
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException e) {
            throw new UnreadableImageException(file, "cannot read the file (" + describe(e) + ")", e);
        }
    }

    private static String formatName(javax.imageio.ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    /** Extraneous bytes before the end marker up to this many are an encoder's padding, not damage. */
    private static final int PADDING_BYTES = 32;

    /**
     * A decoder's warning that it went on past damaged data. A few extraneous bytes before the end marker (0xd9) are
     * padding some encoders leave, in a picture that decodes completely; scan data replaced mid-file leaves many.
     */
    static boolean isDamageWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        if (!w.contains("corrupt")) {
            return false;
        }
        java.util.regex.Matcher padding = java.util.regex.Pattern
                .compile("(\\d+) extraneous bytes before marker 0xd9").matcher(w);
        return !(padding.find() && Long.parseLong(padding.group(1)) <= PADDING_BYTES);
    }

    private static boolean isTruncationWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat") || w.contains("unexpected end");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
            message = (message == null ? "" : message + ": ") + cause.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Explains a file that no ImageIO reader recognises, from its first bytes. */
    private static String describeUnknownContent(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        } catch (IOException e) {
            return "not an image in a supported format (PNG, JPEG, BMP, TIFF, GIF)";
        }
        String ascii = new String(head, StandardCharsets.ISO_8859_1);
        if (ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8)) {
            return "WebP images are not supported; convert it to PNG or JPEG";
        }
        if (ascii.startsWith("ftyp", 4) && (ascii.startsWith("heic", 8) || ascii.startsWith("heix", 8)
                || ascii.startsWith("mif1", 8) || ascii.startsWith("avif", 8))) {
            return "HEIC/AVIF images are not supported; convert it to PNG or JPEG";
        }
        if (ascii.startsWith("\u0089PNG")) {
            return "has a PNG signature but no readable PNG header (corrupt or truncated)";
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8) {
            return "has a JPEG signature but no readable JPEG header (corrupt or truncated)";
        }
        if (looksLikeText(head)) {
            return "is a text file, not an image";
        }
        return "not an image in a supported format (PNG, JPEG, BMP, TIFF, GIF)";
    }

    private static boolean looksLikeText(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        for (byte b : head) {
            int c = b & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a JPEG stream's four channels have no stated meaning: no Adobe segment (which says CMYK or YCCK) and
     * component ids that are not the letters some writers use instead. Decoders guess differently there: libjpeg
     * reads plain CMYK, ImageIO's JPEG reader YCCK, so the same file would give another picture here than in other
     * tools. The stream is left where it was.
     */
    static boolean hasUntoldChannels(ImageInputStream in) throws IOException {
        in.mark();
        try {
            boolean adobe = false;
            byte[] components = null;
            for (JPEGSegment segment : JPEGSegmentUtil.readSegments(in, JPEGSegmentUtil.ALL_SEGMENTS)) {
                int marker = segment.marker();
                if (marker == JPEG.APP14 && "Adobe".equals(segment.identifier())) {
                    adobe = true;
                } else if (marker >= 0xFFC0 && marker <= 0xFFCF && marker != 0xFFC4 && marker != 0xFFC8
                        && marker != 0xFFCC) {
                    // a start of frame: precision, height, width, the number of components, then 3 bytes each
                    byte[] frame;
                    try (InputStream data = segment.data()) {
                        frame = data.readAllBytes();
                    }
                    if (frame.length >= 6 && frame[5] == 4 && frame.length >= 6 + 4 * 3) {
                        components = new byte[] {frame[6], frame[9], frame[12], frame[15]};
                    }
                }
            }
            if (adobe || components == null) {
                return false;
            }
            String ids = new String(components, java.nio.charset.StandardCharsets.ISO_8859_1);
            return !ids.equals("CMYK") && !ids.equals("YCcK");
        } catch (IOException | RuntimeException e) {
            return false; // the decoder says what is wrong with the file
        } finally {
            in.reset();
        }
    }

    /**
     * The EXIF orientation (1 to 8) of a JPEG file, 1 when it has none or it cannot be parsed
     * (a bad EXIF block is not a reason to refuse the pixels).
     *
     * @param file a JPEG file
     * @return the orientation tag value, 1 = upright
     */
    static int exifOrientation(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            for (JPEGSegment segment : JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif")) {
                byte[] data;
                try (InputStream s = segment.data()) {
                    data = s.readAllBytes();
                }
                // The identifier is "Exif" followed by two NULs; the TIFF header starts after them.
                int start = 0;
                while (start < data.length && data[start] == 0) {
                    start++;
                }
                try (ImageInputStream tiff = new MemoryCacheImageInputStream(
                        new java.io.ByteArrayInputStream(data, start, data.length - start))) {
                    int orientation = orientationOf(new TIFFReader().read(tiff));
                    if (orientation != 1) {
                        return orientation;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: unreadable EXIF block ignored: {}", file, e.toString());
        }
        return 1;
    }

    /**
     * The Orientation tag (1 to 8) of a TIFF file's first image, 1 when absent or unreadable.
     *
     * @param file a TIFF file
     * @return the orientation tag value, 1 = upright
     */
    static int tiffOrientation(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return orientationOf(new TIFFReader().read(in));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: unreadable TIFF directory ignored: {}", file, e.toString());
            return 1;
        }
    }

    private static int orientationOf(Directory directory) {
        Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
            return n.intValue();
        }
        return 1;
    }

    /**
     * Applies an EXIF orientation, giving the image as it should be displayed.
     *
     * @param image       the stored pixels
     * @param orientation EXIF value: 1 upright, 2 mirrored, 3 rotated 180, 4 flipped vertically,
     *                    5 transposed, 6 needs a 90 degree clockwise turn, 7 transversed,
     *                    8 needs a 90 degree counter-clockwise turn
     * @return the upright image
     */
    public static RgbImage orient(RgbImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        return Orientation.apply(image, EXIF_TO_ORIENTATION[orientation]);
    }

    /** For each EXIF orientation (index 2 to 8), the {@link Orientation} that makes the stored pixels upright. */
    private static final int[] EXIF_TO_ORIENTATION = {0, 0, 1, 4, 5, 7, 2, 3, 6};
}
