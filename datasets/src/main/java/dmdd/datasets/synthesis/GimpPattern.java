package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A GIMP pattern file ({@code .pat}, version 1). Layout, all integers unsigned 32-bit big-endian:
 * header size, version, width, height, bytes per pixel (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA),
 * the magic {@code "GPAT"}, the UTF-8 name ending with NUL and filling the header, then the raw
 * pixels row by row. Alpha is composited over black, as {@link RgbImage} does.
 *
 * @param name          the pattern's name from its header
 * @param bytesPerPixel 1 to 4, as stored
 * @param image         the pixels
 */
public record GimpPattern(String name, int bytesPerPixel, RgbImage image) {
    private static final int FIXED_HEADER = 24;
    private static final int MAX_SIDE = 1 << 14;

    /** @return the width in pixels */
    public int width() {
        return image.width();
    }

    /** @return the height in pixels */
    public int height() {
        return image.height();
    }

    /**
     * Reads a pattern file.
     *
     * @param file the {@code .pat} file
     * @return the pattern
     * @throws IOException naming the file and the problem when it is not a valid pattern
     */
    public static GimpPattern read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            byte[] fixed = in.readNBytes(FIXED_HEADER);
            if (fixed.length < FIXED_HEADER) {
                throw bad(file, "file too short for a pattern header (" + fixed.length + " bytes)");
            }
            DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(fixed));
            long headerSize = Integer.toUnsignedLong(h.readInt());
            long version = Integer.toUnsignedLong(h.readInt());
            long width = Integer.toUnsignedLong(h.readInt());
            long height = Integer.toUnsignedLong(h.readInt());
            long bpp = Integer.toUnsignedLong(h.readInt());
            String magic = new String(fixed, 20, 4, StandardCharsets.US_ASCII);
            if (!magic.equals("GPAT")) {
                throw bad(file, "no GPAT magic in the header (found '" + printable(magic) + "'); not a GIMP pattern");
            }
            if (version != 1) {
                throw bad(file, "unsupported pattern version " + version + " (only version 1 exists)");
            }
            if (headerSize < FIXED_HEADER || headerSize > FIXED_HEADER + 65536) {
                throw bad(file, "invalid header size " + headerSize);
            }
            if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
                throw bad(file, "invalid pattern size " + width + "x" + height);
            }
            if (bpp < 1 || bpp > 4) {
                throw bad(file, "invalid bytes per pixel " + bpp + " (expected 1 to 4)");
            }
            byte[] nameBytes = in.readNBytes((int) (headerSize - FIXED_HEADER));
            if (nameBytes.length < headerSize - FIXED_HEADER) {
                throw bad(file, "truncated in the pattern name");
            }
            int end = 0;
            while (end < nameBytes.length && nameBytes[end] != 0) {
                end++;
            }
            String name = new String(nameBytes, 0, end, StandardCharsets.UTF_8);
            int w = (int) width;
            int hgt = (int) height;
            int channels = (int) bpp;
            int expected = w * hgt * channels;
            byte[] pixels = in.readNBytes(expected);
            if (pixels.length < expected) {
                throw bad(file, "truncated: " + w + "x" + hgt + "x" + channels + " needs " + expected
                        + " pixel bytes, found " + pixels.length);
            }
            return new GimpPattern(name, channels, toImage(w, hgt, channels, pixels));
        }
    }

    private static RgbImage toImage(int w, int h, int channels, byte[] pixels) {
        int plane = w * h;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int base = i * channels;
            float r;
            float g;
            float b;
            float alpha = 1f;
            if (channels <= 2) {
                r = (pixels[base] & 0xff) / 255f;
                g = r;
                b = r;
                if (channels == 2) {
                    alpha = (pixels[base + 1] & 0xff) / 255f;
                }
            } else {
                r = (pixels[base] & 0xff) / 255f;
                g = (pixels[base + 1] & 0xff) / 255f;
                b = (pixels[base + 2] & 0xff) / 255f;
                if (channels == 4) {
                    alpha = (pixels[base + 3] & 0xff) / 255f;
                }
            }
            chw[i] = r * alpha;
            chw[plane + i] = g * alpha;
            chw[2 * plane + i] = b * alpha;
        }
        return RgbImage.of(w, h, chw);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static IOException bad(Path file, String problem) {
        return new IOException("Cannot read GIMP pattern " + file + ": " + problem);
    }
}
