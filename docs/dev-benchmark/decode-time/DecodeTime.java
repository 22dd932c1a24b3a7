import dmdd.datasets.image.*;
import java.nio.file.*;
import java.awt.image.BufferedImage;
public class DecodeTime {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        Files.createDirectories(dir);
        // a camera-like 4000 x 3000 picture: a real texture tiled, saved as JPEG and PNG
        java.util.Random r = new java.util.Random(1);
        BufferedImage img = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3000; y++) for (int x = 0; x < 4000; x++) {
            int v = 100 + (int) (40 * Math.sin(x / 7.0) * Math.cos(y / 11.0)) + r.nextInt(20);
            img.setRGB(x, y, (v << 16) | (v << 8) | v);
        }
        Path jpg = dir.resolve("cam.jpg"), png = dir.resolve("cam.png");
        if (!Files.exists(jpg)) { javax.imageio.ImageIO.write(img, "jpg", jpg.toFile()); javax.imageio.ImageIO.write(img, "png", png.toFile()); }
        Preprocessing p = new Preprocessing(128);
        for (Path f : new Path[] {jpg, png}) {
            p.read(f); // warm-up
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) { long t = System.nanoTime(); p.read(f); best = Math.min(best, System.nanoTime() - t); }
            System.out.printf("%s: best of 5 %.0f ms%n", f.getFileName(), best / 1e6);
        }
    }
}
