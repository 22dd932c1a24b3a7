import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.*;
import dmdd.datasets.layout.*;
import dmdd.model.dmdd.*;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.*;
import dmdd.model.metrics.*;
import dmdd.model.teacher.*;
import java.nio.file.*;
import java.util.*;

/** args: dataRoot category modelDir... (one ensemble). Averages fused maps (and image scores) over the models. */
public class Ensemble {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String cat = a[1];
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(MvtecCategory.open(data.resolve(cat))
            .loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        int n = tests.size();
        double[] score = new double[n];
        float[][] fused = new float[n][];
        int models = a.length - 2;
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            for (int k = 2; k < a.length; k++) {
                try (Inspector insp = Inspector.open(Path.of(a[k]), teacher)) {
                    for (int i = 0; i < n; i++) {
                        AnomalyMaps am = insp.inspect(tests.get(i).image());
                        score[i] += am.score() / models;
                        if (fused[i] == null) fused[i] = new float[am.fused().length];
                        for (int j = 0; j < fused[i].length; j++) fused[i][j] += am.fused()[j] / models;
                    }
                }
            }
        }
        float[] sc = new float[n]; boolean[] lb = new boolean[n];
        PixelGroundTruth gt = new PixelGroundTruth();
        int total = 0; for (float[] f : fused) total += f.length;
        float[] all = new float[total]; boolean[] al = new boolean[total]; int o = 0;
        for (int i = 0; i < n; i++) {
            sc[i] = (float) score[i]; lb[i] = tests.get(i).sample().isDefective();
            Mask mask = tests.get(i).mask();
            gt.add(mask);
            System.arraycopy(fused[i], 0, all, o, fused[i].length);
            System.arraycopy(mask.toBooleans(), 0, al, o, fused[i].length);
            o += fused[i].length;
        }
        System.out.printf(Locale.ROOT, "ENS %s img %.3f pix %.3f aupro %.3f  %s%n", cat, Auroc.compute(sc, lb).value(),
            Auroc.compute(all, al).value(), Aupro.compute(all, gt, 0.3).value(), String.join(" ", Arrays.copyOfRange(a, 2, a.length)));
    }
}
