package dmdd.app.gui.annotation;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.ImageReader;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.DownloadProgress;
import dmdd.model.teacher.Teachers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "Start from the model's prediction" with the model module's {@link Inspector}: the project's model
 * is opened on first use and kept until another project (or a changed model) asks. The fused map comes
 * at the size the image is read at ({@value #SIDE} pixels at most) and the editor scales it to the mask.
 */
public final class ModelPredictions implements AnnotationViewModel.PredictionSource, AutoCloseable {
    /** Longest side images are read at for a prediction (the inspection screen's display size). */
    public static final int SIDE = 512;

    private final Path weightsDir;
    private final ImageReader reader = new ImageReader(SIDE);
    private Path openModel;
    private long openModelStamp;
    private NDManager manager;
    private Inspector inspector;

    /** Predictions with the user's teacher weights cache. */
    public ModelPredictions() {
        this(UserDataDirs.weightsDir());
    }

    /**
     * @param weightsDir where teacher weights are cached
     */
    public ModelPredictions(Path weightsDir) {
        this.weightsDir = weightsDir;
    }

    @Override
    public synchronized AnnotationViewModel.Prediction predict(Path projectFolder, Path image) throws Exception {
        Path modelDir = projectFolder.resolve("model");
        Path description = modelDir.resolve(ModelFolder.DESCRIPTION);
        if (!Files.isRegularFile(description)) {
            throw new IllegalStateException(dmdd.app.gui.Ui.text("metrics.noModel"));
        }
        long stamp = Files.getLastModifiedTime(description).toMillis();
        if (inspector == null || !modelDir.equals(openModel) || stamp != openModelStamp) {
            close();
            ModelFolder folder = ModelFolder.read(modelDir);
            DjlRuntime.engine();
            manager = NDManager.newBaseManager();
            inspector = Inspector.open(folder, Teachers.load(folder.teacher(), manager, weightsDir, DownloadProgress.NONE),
                    1);
            openModel = modelDir;
            openModelStamp = stamp;
        }
        AnomalyMaps maps = inspector.inspect(reader.read(image));
        return new AnnotationViewModel.Prediction(maps.fused(), maps.width(), maps.height(),
                (float) inspector.thresholds().pixel());
    }

    @Override
    public synchronized void close() {
        if (inspector != null) {
            inspector.close();
            inspector = null;
        }
        if (manager != null) {
            manager.close();
            manager = null;
        }
        openModel = null;
    }
}
