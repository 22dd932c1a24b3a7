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
 * args: dataRoot category wholeModelDir zoomedModelDir. Two models of one category (the default whole-image model and an
 * inspectionZoom model) combined per pixel: each fused map brought to its own model's display range (0 = the median
 * normal pixel, 1 = the top of the range, both fitted on held-out normal images), then averaged or the larger taken;
 * the image score is the top-225 mean of the combined map (the product's top-100 at 128 px, at the masks' 192 px).
 */
public class TwoScales {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String cat = a[1];
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(MvtecCategory.open(data.resolve(cat))
            .loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        int n = tests.size();
        float[][][] maps = new float[2][n][];
        double[][] scores = new double[2][n];
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            for (int k = 0; k < 2; k++) {
                try (Inspector insp = Inspector.open(Path.of(a[2 + k]), teacher)) {
                    Thresholds.Range r = insp.thresholds().fused();
                    Thresholds.ScoreStatistics st = insp.thresholds().scores();
                    for (int i = 0; i < n; i++) {
                        AnomalyMaps am = insp.inspect(tests.get(i).image());
                        float[] f = am.fused().clone();
                        for (int j = 0; j < f.length; j++) f[j] = (float) ((f[j] - r.low()) / (r.high() - r.low()));
                        maps[k][i] = f;
                        scores[k][i] = (am.score() - st.mean()) / Math.max(st.std(), 1e-9);
                    }
                }
            }
        }
        report(cat, "whole", tests, i -> maps[0][i], i -> scores[0][i]);
        report(cat, "zoomed", tests, i -> maps[1][i], i -> scores[1][i]);
        report(cat, "mean", tests, i -> combine(maps[0][i], maps[1][i], false), null);
        report(cat, "max", tests, i -> combine(maps[0][i], maps[1][i], true), null);
        report(cat, "max-score", tests, i -> combine(maps[0][i], maps[1][i], true),
            i -> Math.max(scores[0][i], scores[1][i]));
    }

    static float[] combine(float[] x, float[] y, boolean max) {
        float[] c = new float[x.length];
        for (int j = 0; j < c.length; j++) c[j] = max ? Math.max(x[j], y[j]) : (x[j] + y[j]) / 2;
        return c;
    }

    static double topMean(float[] f, int k) {
        float[] s = f.clone();
        Arrays.sort(s);
        double t = 0;
        for (int j = s.length - k; j < s.length; j++) t += s[j];
        return t / k;
    }

    static void report(String cat, String rule, List<MvtecCategory.LoadedTestSample> tests,
            java.util.function.IntFunction<float[]> map, java.util.function.IntToDoubleFunction score) {
        int n = tests.size();
        float[] sc = new float[n];
        boolean[] lb = new boolean[n];
        PixelGroundTruth gt = new PixelGroundTruth();
        int total = 0;
        for (int i = 0; i < n; i++) total += map.apply(i).length;
        float[] all = new float[total];
        boolean[] al = new boolean[total];
        int o = 0;
        for (int i = 0; i < n; i++) {
            float[] f = map.apply(i);
            sc[i] = (float) (score != null ? score.applyAsDouble(i) : topMean(f, 225));
            lb[i] = tests.get(i).sample().isDefective();
            Mask mask = tests.get(i).mask();
            gt.add(mask);
            System.arraycopy(f, 0, all, o, f.length);
            System.arraycopy(mask.toBooleans(), 0, al, o, f.length);
            o += f.length;
        }
        System.out.printf(Locale.ROOT, "%s %-9s img %.3f pix %.3f aupro %.3f%n", cat, rule, Auroc.compute(sc, lb).value(),
            Auroc.compute(all, al).value(), Aupro.compute(all, gt, 0.3).value());
    }
}
