package dmdd.app.gui.inspection;

import dmdd.model.project.Project;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the model in view tests: the maps are each pixel's distance from the image's mean
 * colour (so the sample's defects light up), the score is the fused map's maximum. Counts its calls
 * so tests can prove the model is not run again when only a threshold moves.
 */
public class ScriptedInspectionEngine implements InspectionEngine {
    /** Number of {@link #inspect} calls. */
    public final AtomicInteger inspections = new AtomicInteger();
    /** The model folder each {@link #calibration} call was for, in order: where the screen reads its model. */
    public final java.util.List<Path> calibratedModels = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The model's identity the calibration reports; a test sets another one to stand for a newly trained model. */
    public volatile String modelId = "scripted-model-1";
    /** Whether the project has a model; a test clears it to stand for a project not yet trained. */
    public volatile boolean modelPresent = true;
    private final ImageReader reader = new ImageReader(64);

    @Override
    public boolean hasModel(Project project) {
        return modelPresent;
    }

    @Override
    public Calibration calibration(Project project) {
        calibratedModels.add(project.chosenModelDir());
        return new Calibration(0.35, 0.45, 0.3, new Range(0, 0.6), new Range(0, 0.3), new Range(0, 0.6),
                new double[] {0.1, 0.15, 0.2, 0.22, 0.25, 0.3}, modelId);
    }

    @Override
    public String modelOnDisk(Project project) {
        return modelId;
    }

    @Override
    public ImageInspection inspect(Project project, Path file) throws Exception {
        inspections.incrementAndGet();
        RgbImage image = reader.read(file);
        int n = image.width() * image.height();
        float[] chw = image.chw();
        float[] mean = new float[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                mean[c] += chw[c * n + i] / n;
            }
        }
        float[] normality = new float[n];
        float[] abnormality = new float[n];
        float[] fused = new float[n];
        double score = 0;
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.abs(chw[c * n + i] - mean[c]);
            }
            normality[i] = (float) d;
            abnormality[i] = (float) (d / 2);
            fused[i] = (float) Math.min(1, d);
            score = Math.max(score, fused[i]);
        }
        // as the pipeline says of a strip squeezed into the square input
        String warning = image.width() > 4 * image.height() ? "is " + image.width() + " x " + image.height()
                + " px: squeezed into the square input; its verdict is less sure" : null;
        return new ImageInspection(file, image, normality, abnormality, fused, score, modelId, warning);
    }
}
