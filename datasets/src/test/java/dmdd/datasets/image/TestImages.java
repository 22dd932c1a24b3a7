package dmdd.datasets.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Builders of test image files, including byte-level ones ImageIO cannot make. */
final class TestImages {
    private TestImages() {
    }

    /**
     * A solid-colour 8-bit RGB PNG of any size whose file stays tiny: every row after the first
     * uses the PNG "Up" filter, so the compressed stream is almost all zeros.
     */
    static void writeSolidPng(Path file, int width, int height, int r, int g, int b) throws IOException {
        writeSolidPng(file, width, height, r, g, b, -1);
    }

    /** A solid PNG with one white row ({@code whiteRow}, or none when negative), written without holding it. */
    static void writeSolidPng(Path file, int width, int height, int r, int g, int b, int whiteRow)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 2, 0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
                byte[] row = new byte[1 + 3 * width];
                for (int x = 0; x < width; x++) {
                    row[1 + 3 * x] = (byte) r;
                    row[2 + 3 * x] = (byte) g;
                    row[3 + 3 * x] = (byte) b;
                }
                z.write(row);
                byte[] up = new byte[1 + 3 * width];
                up[0] = 2;
                byte[] white = new byte[1 + 3 * width];
                java.util.Arrays.fill(white, 1, white.length, (byte) 255);
                for (int y = 1; y < height; y++) {
                    z.write(y == whiteRow ? white : y == whiteRow + 1 ? row : up);
                }
            } finally {
                deflater.end();
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /**
     * A minimal uncompressed 8-bit RGB TIFF (big-endian) with an Orientation tag, built byte by
     * byte because ImageIO's TIFF writers do not take the tag from a plain image.
     *
     * @param rgb row-major packed 0xRRGGBB pixels
     */
    static byte[] tiffWithOrientation(int width, int height, int[] rgb, int orientation) throws IOException {
        int entries = 10;
        int ifdOffset = 8;
        int ifdSize = 2 + entries * 12 + 4;
        int bitsOffset = ifdOffset + ifdSize;
        int pixelOffset = bitsOffset + 6;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bytes);
        o.writeBytes("MM");
        o.writeShort(42);
        o.writeInt(ifdOffset);
        o.writeShort(entries);
        entry(o, 256, 3, 1, width << 16); // ImageWidth (SHORT, left-justified in the value field)
        entry(o, 257, 3, 1, height << 16); // ImageLength
        entry(o, 258, 3, 3, bitsOffset); // BitsPerSample 8,8,8 (stored after the IFD)
        entry(o, 259, 3, 1, 1 << 16); // Compression: none
        entry(o, 262, 3, 1, 2 << 16); // Photometric: RGB
        entry(o, 273, 4, 1, pixelOffset); // StripOffsets
        entry(o, 274, 3, 1, orientation << 16); // Orientation
        entry(o, 277, 3, 1, 3 << 16); // SamplesPerPixel
        entry(o, 278, 3, 1, height << 16); // RowsPerStrip
        entry(o, 279, 4, 1, width * height * 3); // StripByteCounts
        o.writeInt(0);
        o.writeShort(8);
        o.writeShort(8);
        o.writeShort(8);
        for (int p : rgb) {
            o.writeByte(p >> 16);
            o.writeByte(p >> 8);
            o.writeByte(p);
        }
        return bytes.toByteArray();
    }

    private static void entry(DataOutputStream o, int tag, int type, int count, int value) throws IOException {
        o.writeShort(tag);
        o.writeShort(type);
        o.writeInt(count);
        o.writeInt(value);
    }

    /**
     * Inserts an Adobe APP14 segment with colour transform 0 (plain CMYK, the way Photoshop marks
     * its CMYK JPEGs) right after a JPEG's SOI marker.
     */
    static byte[] withAdobeCmykMarker(byte[] jpeg) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2);
        o.writeShort(0xFFEE);
        o.writeShort(14);
        o.writeBytes("Adobe");
        o.writeShort(100); // version
        o.writeShort(0); // flags0
        o.writeShort(0); // flags1
        o.writeByte(0); // transform: none, i.e. CMYK
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * Inserts an EXIF APP1 segment with one Orientation entry right after a JPEG's SOI marker.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8); // offset of IFD0
        t.writeShort(1); // one entry
        t.writeShort(0x0112); // Orientation
        t.writeShort(3); // SHORT
        t.writeInt(1); // count
        t.writeShort(orientation);
        t.writeShort(0); // padding of the 4-byte value field
        t.writeInt(0); // no next IFD
        byte[] payload = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2); // SOI
        o.writeShort(0xFFE1);
        o.writeShort(2 + 6 + payload.length);
        o.writeBytes("Exif");
        o.writeShort(0);
        o.write(payload);
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
