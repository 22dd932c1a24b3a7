package dmdd.model.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.NativeAllocator;
import dmdd.model.infer.ModelFolder;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libtorch's own op profile of training: {@code MODEL_DIR STAGE TRACE.json} trains a throw-away copy of the model's
 * settings (10 steps a stage, 16 generated surfaces, one prefetch thread) and profiles steps 3 to 7 of STAGE (1: the
 * student, 2: the segmentation network), writing a Chrome trace that {@code op_profile_summary.py} sums per op.
 */
public class TrainProfile {
    public static void main(String[] a) throws Exception {
        NativeAllocator.keepFreedMemory();
        ModelFolder f = ModelFolder.read(Path.of(a[0]));
        int stage = Integer.parseInt(a[1]);
        String out = a[2];
        DmddSettings s = f.settings().with(Map.of("studentSteps", 10, "segmenterSteps", stage == 2 ? 10 : 0,
                "checkpointInterval", 1_000_000));
        List<RgbImage> in = new ArrayList<>();
        for (int i = 0; i < 16; i++) in.add(SampleDataset.normalSurface(s.imageSize(), 1000 + i));
        long[] t = new long[2];
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(f.teacher(), m);
            TrainingListener l = new TrainingListener() {
                @Override
                public void onProgress(TrainingProgress p) {
                    if (p.stage() != stage) return;
                    if (p.stageStep() == 3) { JniUtils.startProfile(false, false, false); t[0] = System.nanoTime(); }
                    if (p.stageStep() == 8) { t[1] = System.nanoTime(); JniUtils.stopProfile(out); }
                }
            };
            Path tmp = Files.createTempDirectory("tp");
            new DmddTrainer(s, teacher, Synthesis.byStage(s)).withPrefetchWorkers(1).train(in, tmp, l, () -> false, false, null);
            System.out.printf("stage %d: %.1f ms/step (5 profiled steps)%n", stage, (t[1] - t[0]) / 1e6 / 5);
        }
    }
}
