package dmdd.model.infer;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.FusedConvolution;
import dmdd.model.engine.NativeAllocator;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fused against apart in one process: {@code MODEL_DIR BATCH ROUNDS CALLS} opens the model twice, once with
 * {@code dmdd.fusedConvolutions} on and once off (the property is read when an inspector folds its networks), and
 * times alternating blocks of CALLS one-pass inspections of BATCH generated surfaces, ROUNDS blocks each, so that the
 * VM's drifts fall on both alike. Prints every block and the medians, ms per call.
 */
public class FusedTiming {
    public static void main(String[] a) throws Exception {
        NativeAllocator.keepFreedMemory();
        ModelFolder f = ModelFolder.read(Path.of(a[0]));
        int batch = Integer.parseInt(a[1]);
        int rounds = Integer.parseInt(a[2]);
        int calls = Integer.parseInt(a[3]);
        f = new ModelFolder(f.folder(), f.settings().with("inspectionViews", 1).with("inspectionShifts", 1), f.teacher(),
                f.thresholds(), f.training(), f.weightsFile(), f.weightsSha256());
        List<RgbImage> in = new ArrayList<>();
        for (int i = 0; i < batch; i++) in.add(SampleDataset.normalSurface(f.settings().imageSize(), 1000 + i));
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone fusedTeacher = Teachers.load(f.teacher(), m);
            System.setProperty(FusedConvolution.PROPERTY, "true");
            Inspector fused = Inspector.open(f, fusedTeacher, batch);
            System.setProperty(FusedConvolution.PROPERTY, "false");
            Backbone apartTeacher = Teachers.load(f.teacher(), m); // folded again, now apart
            Inspector apart = Inspector.open(f, apartTeacher, batch);
            System.setProperty(FusedConvolution.PROPERTY, "true"); // the fused inspector's teacher folds once only
            for (int i = 0; i < 20; i++) { fused.inspect(in); apart.inspect(in); }
            double[][] ms = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    Inspector ins = k == 0 ? fused : apart;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) ins.inspect(in);
                    ms[k][r] = (System.nanoTime() - t0) / 1e6 / calls;
                }
                System.out.printf("block %d: fused %.2f ms, apart %.2f ms per call of %d%n", r + 1, ms[0][r], ms[1][r], batch);
            }
            for (double[] x : ms) java.util.Arrays.sort(x);
            System.out.printf("median: fused %.2f ms, apart %.2f ms per call of %d (%.1f %% less)%n", ms[0][rounds / 2],
                    ms[1][rounds / 2], batch, 100 * (1 - ms[0][rounds / 2] / ms[1][rounds / 2]));
            fused.close();
            apart.close();
        }
    }
}
