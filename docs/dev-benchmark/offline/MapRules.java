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
 * args: dataRoot category modelDir. The model is opened with "fusion" switched to "segmenter" in memory (model.json
 * itself is protected by its calibration digest), so that its fused map is the segmentation network's raw output; the
 * branch ranges are the calibrated ones in model.json.
 * Prints, on the category's test split: image AUROC (top-225 mean at the masks' 192 px, the default's top-100 at 128
 * px), pixel AUROC and AUPRO for fused-map rules (part 1), other image scores from today's rule (part 2), and
 * today's rule with the fused map blurred (part 3).
 */
public class MapRules {
    interface Rule { float f(float seg, float nor, float abn); }

    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String cat = a[1];
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(MvtecCategory.open(data.resolve(cat))
            .loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        int n = tests.size();
        float[][] seg = new float[n][], nor = new float[n][], abn = new float[n][];
        float nt, at;
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            ModelFolder f = ModelFolder.read(Path.of(a[2]));
            ModelFolder raw = new ModelFolder(f.folder(), f.settings().with("fusion", "segmenter"), f.teacher(),
                f.thresholds(), f.training(), f.weightsFile(), f.weightsSha256());
            try (Inspector insp = Inspector.open(raw, teacher, 8)) {
                if (!"segmenter".equals(insp.settings().fusion())) throw new IllegalStateException("fusion must be segmenter");
                nt = (float) insp.thresholds().normality().high();
                at = (float) insp.thresholds().abnormality().high();
                for (int i = 0; i < n; i++) {
                    AnomalyMaps am = insp.inspect(tests.get(i).image());
                    seg[i] = am.fused(); nor[i] = am.normality(); abn[i] = am.abnormality();
                }
            }
        }
        LinkedHashMap<String, Rule> rules = new LinkedHashMap<>();
        rules.put("segmenter", (s, x, y) -> s);
        rules.put("normality", (s, x, y) -> x);
        rules.put("abnormality", (s, x, y) -> y);
        for (float w : new float[] {0.99f, 0.97f, 0.95f, 0.93f, 0.9f, 0.85f, 0.8f, 0.7f, 0.6f, 0.5f}) {
            rules.put("mean w=" + w, (s, x, y) -> w * s + (1 - w) * Math.min(1f, 0.5f * (x / nt + y / at)));
        }
        for (float al : new float[] {0.3f, 0.5f, 0.7f, 1f}) {
            rules.put("max a=" + al, (s, x, y) -> Math.max(s, al * Math.min(1f, 0.5f * (x / nt + y / at))));
            rules.put("noisy-or a=" + al, (s, x, y) -> 1 - (1 - s) * (1 - al * Math.min(1f, 0.5f * (x / nt + y / at))));
        }
        rules.put("product", (s, x, y) -> s * Math.min(1f, 0.5f * (x / nt + y / at)));
        for (float t : new float[] {0.5f, 0.67f, 0.8f}) {
            for (float al : new float[] {0.5f, 1f, 2f}) {
                rules.put("mean w=0.97 + excess t=" + t + " a=" + al, (s, x, y) -> 0.97f * s
                    + 0.03f * Math.min(1f, 0.5f * (x / nt + y / at)) + al * Math.max(0f, 0.5f * (x / nt + y / at) - t));
            }
        }
        PixelGroundTruth gt = new PixelGroundTruth();
        int total = 0;
        for (float[] f : seg) total += f.length;
        boolean[] pixelLabels = new boolean[total];
        boolean[] labels = new boolean[n];
        for (int i = 0, o = 0; i < n; i++) {
            Mask mask = tests.get(i).mask();
            gt.add(mask);
            labels[i] = tests.get(i).sample().isDefective();
            System.arraycopy(mask.toBooleans(), 0, pixelLabels, o, seg[i].length);
            o += seg[i].length;
        }
        for (var e : rules.entrySet()) {
            report(cat, "rule " + e.getKey(), seg, nor, abn, e.getValue(), 0, labels, pixelLabels, gt);
        }
        Rule today = rules.get("mean w=0.97");
        String[] scores = {"top-225 mean", "top-25 mean", "top-900 mean", "top-225 mean - mean", "top-225 mean / mean",
            "top-225 mean - median", "top-25 - top-900 mean", "std", "(top-225 mean - mean) / std"};
        for (int v = 0; v < scores.length; v++) {
            float[] sc = new float[n];
            for (int i = 0; i < n; i++) {
                float[] f = apply(today, seg[i], nor[i], abn[i]);
                double mean = 0;
                for (float q : f) mean += q;
                mean /= f.length;
                double var = 0;
                for (float q : f) var += (q - mean) * (q - mean);
                double sd = Math.sqrt(var / f.length);
                float[] sorted = f.clone();
                Arrays.sort(sorted);
                double median = sorted[sorted.length / 2];
                double t225 = FloatMaps.topKMean(f, 225), t25 = FloatMaps.topKMean(f, 25), t900 = FloatMaps.topKMean(f, 900);
                sc[i] = (float) switch (v) {
                    case 0 -> t225; case 1 -> t25; case 2 -> t900; case 3 -> t225 - mean; case 4 -> t225 / (mean + 1e-3);
                    case 5 -> t225 - median; case 6 -> t25 - t900; case 7 -> sd; default -> (t225 - mean) / (sd + 1e-4);
                };
            }
            System.out.printf(Locale.ROOT, "%s score %-28s image AUROC %.3f%n", cat, scores[v], Auroc.compute(sc, labels).value());
        }
        for (double sigma : new double[] {1, 2, 3, 4, 6}) {
            report(cat, "today's rule blurred, sigma " + sigma + " px", seg, nor, abn, today, sigma, labels, pixelLabels, gt);
        }
    }

    private static float[] apply(Rule rule, float[] seg, float[] nor, float[] abn) {
        float[] f = new float[seg.length];
        for (int j = 0; j < f.length; j++) f[j] = rule.f(seg[j], nor[j], abn[j]);
        return f;
    }

    private static void report(String cat, String name, float[][] seg, float[][] nor, float[][] abn, Rule rule,
            double sigma, boolean[] labels, boolean[] pixelLabels, PixelGroundTruth gt) {
        int n = seg.length;
        float[] all = new float[pixelLabels.length];
        float[] sc = new float[n];
        for (int i = 0, o = 0; i < n; i++) {
            float[] f = apply(rule, seg[i], nor[i], abn[i]);
            if (sigma > 0) f = blur(f, (int) Math.round(Math.sqrt(f.length)), sigma);
            sc[i] = (float) FloatMaps.topKMean(f, 225);
            System.arraycopy(f, 0, all, o, f.length);
            o += f.length;
        }
        System.out.printf(Locale.ROOT, "%s %-40s image AUROC %.3f pixel AUROC %.3f AUPRO %.3f%n", cat, name,
            Auroc.compute(sc, labels).value(), Auroc.compute(all, pixelLabels).value(), Aupro.compute(all, gt, 0.3).value());
    }

    /** A separable Gaussian blur of a square map, edges repeated. */
    static float[] blur(float[] f, int side, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        float sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        float[] t = new float[f.length], o = new float[f.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float acc = 0;
                for (int d = -r; d <= r; d++) acc += k[d + r] * f[y * side + Math.min(side - 1, Math.max(0, x + d))];
                t[y * side + x] = acc;
            }
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float acc = 0;
                for (int d = -r; d <= r; d++) acc += k[d + r] * t[Math.min(side - 1, Math.max(0, y + d)) * side + x];
                o[y * side + x] = acc;
            }
        }
        return o;
    }
}
