import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.*;
import dmdd.datasets.layout.*;
import dmdd.model.dmdd.*;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.*;
import dmdd.model.teacher.*;
import java.io.*;
import java.nio.file.*;
import java.util.*;

/** args: dataRoot category modelDir out.csv : per test image, label and candidate image scores. */
public class Scores {
    static double topk(float[] x, int k) { float[] c = x.clone(); Arrays.sort(c); double s = 0; for (int i = 0; i < k; i++) s += c[c.length - 1 - i]; return s / k; }
    public static void main(String[] a) throws Exception {
        List<MvtecCategory.LoadedTestSample> tests = new ArrayList<>(MvtecCategory.open(Path.of(a[0]).resolve(a[1]))
            .loadTest(new Preprocessing(192, 0).networkInputs()).loaded());
        try (NDManager m = DjlRuntime.engine().newBaseManager(); PrintWriter w = new PrintWriter(a[3])) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            try (Inspector insp = Inspector.open(Path.of(a[2]), teacher)) {
                double pt = insp.thresholds().pixel();
                w.println("file,label,score,fmax,f25,f225,f900,f3600,fmean,nmax,n225,amax,a225,area,pt");
                for (MvtecCategory.LoadedTestSample t : tests) {
                    AnomalyMaps am = insp.inspect(t.image());
                    float[] f = am.fused(); int area = 0; double mean = 0;
                    for (float v : f) { if (v > pt) area++; mean += v; }
                    w.printf(Locale.ROOT, "%s,%d,%f,%f,%f,%f,%f,%f,%f,%f,%f,%f,%f,%d,%f%n", t.sample().defectType() + "/" + t.sample().image().getFileName(),
                        t.sample().isDefective() ? 1 : 0, am.score(), topk(f, 1), topk(f, 25), topk(f, 225), topk(f, 900), topk(f, 3600), mean / f.length,
                        topk(am.normality(), 1), topk(am.normality(), 225), topk(am.abnormality(), 1), topk(am.abnormality(), 225), area, pt);
                }
            }
        }
    }
}
