package dmdd.model.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.NativeAllocator;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorch's own op profile of inference: {@code MODEL_DIR BATCH N [TRACE.json]} inspects BATCH generated surfaces
 * of the model's input size in one view (no mirrors, no shifts) 30 times to warm up, N times timed, then N times
 * under {@code JniUtils.startProfile}, writing a Chrome trace that {@code op_profile_summary.py} sums per op.
 */
public class OpProfile {
    public static void main(String[] a) throws Exception {
        NativeAllocator.keepFreedMemory();
        ModelFolder f = ModelFolder.read(Path.of(a[0]));
        int batch = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        f = new ModelFolder(f.folder(), f.settings().with("inspectionViews", 1).with("inspectionShifts", 1), f.teacher(),
                f.thresholds(), f.training(), f.weightsFile(), f.weightsSha256());
        List<RgbImage> in = new ArrayList<>();
        for (int i = 0; i < batch; i++) in.add(SampleDataset.normalSurface(f.settings().imageSize(), 1000 + i));
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone t = Teachers.load(f.teacher(), m);
            try (Inspector ins = Inspector.open(f, t, batch)) {
                for (int i = 0; i < 30; i++) ins.inspect(in);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) ins.inspect(in);
                System.out.printf("plain: %.2f ms/batch%n", (System.nanoTime() - t0) / 1e6 / n);
                if (a.length > 3) {
                    JniUtils.startProfile(false, true, false);
                    for (int i = 0; i < n; i++) ins.inspect(in);
                    JniUtils.stopProfile(a[3]);
                }
            }
        }
    }
}
