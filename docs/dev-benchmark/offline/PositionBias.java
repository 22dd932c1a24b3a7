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
 * args: dataRoot category modelDir. Measures how the fused map depends on the position in the image: its mean over
 * the category's normal training images per pixel (at the masks' 192 px), as a border-to-centre ratio and a profile,
 * and the test split's metrics with that position mean taken out of each fused map (subtracted, or divided out),
 * against the raw map. Image AUROC is the top-225 mean at 192 px (the product's top-100 at 128 px). Compile it with
 * MapRules (its blur).
 */
public class PositionBias {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String cat = a[1];
        MvtecCategory c = MvtecCategory.open(data.resolve(cat));
        List<LoadedImage> normals = c.loadTrainGood(new Preprocessing(192, 0).networkInputs()).loaded();
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(c.loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        int n = tests.size();
        float[][] fused = new float[n][];
        double[] sum = null, sq = null;
        int side = 0;
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            try (Inspector insp = Inspector.open(Path.of(a[2]), teacher)) {
                for (LoadedImage l : normals) {
                    float[] f = insp.inspect(l.image()).fused();
                    if (sum == null) {
                        sum = new double[f.length];
                        sq = new double[f.length];
                        side = (int) Math.round(Math.sqrt(f.length));
                    }
                    for (int j = 0; j < f.length; j++) {
                        sum[j] += f[j];
                        sq[j] += (double) f[j] * f[j];
                    }
                }
                for (int i = 0; i < n; i++) {
                    fused[i] = insp.inspect(tests.get(i).image()).fused();
                }
            }
        }
        float[] mu = new float[sum.length];
        float[] sd = new float[sum.length];
        double all = 0;
        for (int j = 0; j < mu.length; j++) {
            mu[j] = (float) (sum[j] / normals.size());
            sd[j] = (float) Math.sqrt(Math.max(0, sq[j] / normals.size() - mu[j] * (double) mu[j]));
            all += mu[j];
        }
        all /= mu.length;
        // the border band (outer 1/16 of the side) against the centre (inner half)
        int band = side / 16;
        double border = 0, centre = 0;
        int nb = 0, nc = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int d = Math.min(Math.min(x, y), Math.min(side - 1 - x, side - 1 - y));
                if (d < band) { border += mu[y * side + x]; nb++; }
                if (d >= side / 4) { centre += mu[y * side + x]; nc++; }
            }
        }
        System.out.printf(Locale.ROOT, "%s normal fused mean %.4f, border band (%d px) %.4f, centre %.4f, ratio %.2f%n",
            cat, all, band, border / nb, centre / nc, (border / nb) / (centre / nc));
        StringBuilder profile = new StringBuilder(cat + " profile (mean over rows and columns at distance d from the edge, 16 bins):");
        for (int b = 0; b < 16; b++) {
            double s = 0; int k = 0;
            for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) {
                int d = Math.min(Math.min(x, y), Math.min(side - 1 - x, side - 1 - y));
                if (d * 32 / side == b) { s += mu[y * side + x]; k++; }
            }
            profile.append(String.format(Locale.ROOT, " %.4f", s / Math.max(1, k)));
        }
        System.out.println(profile);
        boolean[] labels = new boolean[n];
        PixelGroundTruth gt = new PixelGroundTruth();
        int total = 0;
        for (float[] f : fused) total += f.length;
        boolean[] pixelLabels = new boolean[total];
        for (int i = 0, o = 0; i < n; i++) {
            Mask mask = tests.get(i).mask();
            gt.add(mask);
            labels[i] = tests.get(i).sample().isDefective();
            System.arraycopy(mask.toBooleans(), 0, pixelLabels, o, fused[i].length);
            o += fused[i].length;
        }
        float[] muBlur = MapRules.blur(mu, side, 4);
        float[] sdBlur = MapRules.blur(sd, side, 4);
        double sdAll = 0;
        for (float v : sdBlur) sdAll += v;
        sdAll /= sdBlur.length;
        final double allF = all, sdAllF = sdAll;
        report(cat, "raw fused map", fused, f -> f, labels, pixelLabels, gt);
        report(cat, "minus position mean", fused, f -> { float[] o = f.clone(); for (int j = 0; j < o.length; j++) o[j] -= muBlur[j]; return o; }, labels, pixelLabels, gt);
        report(cat, "times mean / position mean", fused, f -> { float[] o = f.clone(); for (int j = 0; j < o.length; j++) o[j] *= (float) (allF / Math.max(1e-6, muBlur[j])); return o; }, labels, pixelLabels, gt);
        report(cat, "standardised per position", fused, f -> { float[] o = f.clone(); for (int j = 0; j < o.length; j++) o[j] = (float) ((o[j] - muBlur[j]) / Math.max(0.25 * sdAllF, sdBlur[j])); return o; }, labels, pixelLabels, gt);
    }

    private static void report(String cat, String name, float[][] maps, java.util.function.UnaryOperator<float[]> rule,
            boolean[] labels, boolean[] pixelLabels, PixelGroundTruth gt) {
        int n = maps.length;
        float[] all = new float[pixelLabels.length];
        float[] sc = new float[n];
        for (int i = 0, o = 0; i < n; i++) {
            float[] f = rule.apply(maps[i]);
            sc[i] = (float) FloatMaps.topKMean(f, 225);
            System.arraycopy(f, 0, all, o, f.length);
            o += f.length;
        }
        System.out.printf(Locale.ROOT, "%s %-30s image AUROC %.3f pixel AUROC %.3f AUPRO %.3f%n", cat, name,
            Auroc.compute(sc, labels).value(), Auroc.compute(all, pixelLabels).value(), Aupro.compute(all, gt, 0.3).value());
    }
}
