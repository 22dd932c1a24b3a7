import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Writes a copy of an image with every colour channel multiplied by a factor (clipped to 0..255): the "one
 * kind of normal variation" of the review evidence run (a lighting change). Run with the source launcher:
 * {@code java scripts/ShiftBrightness.java IN.png OUT.png FACTOR}.
 */
public final class ShiftBrightness {
    private ShiftBrightness() {
    }

    public static void main(String[] args) throws Exception {
        BufferedImage in = ImageIO.read(new File(args[0]));
        double factor = Double.parseDouble(args[2]);
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                int rgb = in.getRGB(x, y);
                int r = scale((rgb >> 16) & 0xff, factor);
                int g = scale((rgb >> 8) & 0xff, factor);
                int b = scale(rgb & 0xff, factor);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        File target = new File(args[1]);
        File part = new File(target.getParentFile(), target.getName() + ".part");
        ImageIO.write(out, "png", part);
        if (!part.renameTo(target)) {
            throw new IllegalStateException("cannot rename " + part + " to " + target);
        }
    }

    private static int scale(int v, double factor) {
        return (int) Math.max(0, Math.min(255, Math.round(v * factor)));
    }
}
