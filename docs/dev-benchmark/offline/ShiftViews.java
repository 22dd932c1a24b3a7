import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.*;
import dmdd.datasets.layout.*;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.*;
import dmdd.model.metrics.*;
import dmdd.model.teacher.*;
import java.nio.file.*;
import java.util.*;

/**
 * args: dataRoot category modelDir. Sub-stride shifted views: each 192 px test crop inspected as it is and shifted by
 * 3 px (2 px of the 128 px input, half a cell of the networks' stride-4 maps; edges repeated), the maps shifted back
 * and averaged. Mirrors (the product's views) keep the stride-4 grid where it was on a 128 px input; a half-cell shift
 * moves it, so a line thinner than a cell falls differently. Prints the test split's metrics for shift sets of 1, 2
 * and 4 views (image AUROC: top-225 mean at 192 px, the product's top-100 at 128 px).
 */
public class ShiftViews {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String cat = a[1];
        int step = a.length > 3 ? Integer.parseInt(a[3]) : 3;
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(MvtecCategory.open(data.resolve(cat))
            .loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        int n = tests.size();
        int[][] shifts = {{0, 0}, {step, step}, {step, 0}, {0, step}};
        float[][][] fused = new float[shifts.length][n][];
        int side = 0;
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            try (Inspector insp = Inspector.open(Path.of(a[2]), teacher)) {
                for (int i = 0; i < n; i++) {
                    RgbImage img = tests.get(i).image();
                    side = img.width();
                    for (int s = 0; s < shifts.length; s++) {
                        float[] f = insp.inspect(shift(img, shifts[s][0], shifts[s][1])).fused();
                        fused[s][i] = shiftMap(f, side, -shifts[s][0], -shifts[s][1]);
                    }
                }
            }
        }
        boolean[] labels = new boolean[n];
        PixelGroundTruth gt = new PixelGroundTruth();
        int total = n * side * side;
        boolean[] pixelLabels = new boolean[total];
        for (int i = 0, o = 0; i < n; i++) {
            Mask mask = tests.get(i).mask();
            gt.add(mask);
            labels[i] = tests.get(i).sample().isDefective();
            System.arraycopy(mask.toBooleans(), 0, pixelLabels, o, side * side);
            o += side * side;
        }
        for (int views : new int[] {1, 2, 4}) {
            float[] all = new float[total];
            float[] sc = new float[n];
            for (int i = 0; i < n; i++) {
                float[] avg = new float[side * side];
                for (int s = 0; s < views; s++) {
                    for (int j = 0; j < avg.length; j++) avg[j] += fused[s][i][j] / views;
                }
                sc[i] = (float) FloatMaps.topKMean(avg, 225);
                System.arraycopy(avg, 0, all, i * side * side, avg.length);
            }
            System.out.printf(Locale.ROOT, "%s shift %d px, %d shifted view%s  image AUROC %.3f pixel AUROC %.3f AUPRO %.3f%n",
                cat, step, views, views == 1 ? " " : "s", Auroc.compute(sc, labels).value(),
                Auroc.compute(all, pixelLabels).value(), Aupro.compute(all, gt, 0.3).value());
        }
    }

    /** The image moved by (dx, dy) pixels, edges repeated. */
    static RgbImage shift(RgbImage img, int dx, int dy) {
        if (dx == 0 && dy == 0) return img;
        int w = img.width(), h = img.height();
        float[] src = img.chw();
        float[] out = new float[src.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int sy = Math.min(h - 1, Math.max(0, y - dy));
                for (int x = 0; x < w; x++) {
                    int sx = Math.min(w - 1, Math.max(0, x - dx));
                    out[(c * h + y) * w + x] = src[(c * h + sy) * w + sx];
                }
            }
        }
        return RgbImage.of(w, h, out);
    }

    /** A square map moved by (dx, dy) pixels, edges repeated. */
    static float[] shiftMap(float[] f, int side, int dx, int dy) {
        if (dx == 0 && dy == 0) return f;
        float[] out = new float[f.length];
        for (int y = 0; y < side; y++) {
            int sy = Math.min(side - 1, Math.max(0, y - dy));
            for (int x = 0; x < side; x++) {
                out[y * side + x] = f[sy * side + Math.min(side - 1, Math.max(0, x - dx))];
            }
        }
        return out;
    }
}
