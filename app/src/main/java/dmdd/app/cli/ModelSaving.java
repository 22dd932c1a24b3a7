package dmdd.app.cli;

import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import dmdd.model.teacher.Backbone;
import dmdd.model.train.DmddTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns the trained networks into a saved model folder at the end of training: thresholds and display
 * ranges are fitted on the held-out normal validation images (on the training images only when too
 * few were given to hold any out), then weights and description are written.
 */
final class ModelSaving {
    private ModelSaving() {
    }

    /**
     * @param teacher     the teacher the networks were trained with
     * @param trainImages number of images trained on (for the summary)
     * @param validation  held-out normal images; when empty, {@code fallback} is used
     * @param fallback    images to fit on when nothing was held out
     * @param modelDir    the model folder
     * @param log         where to report
     * @return the finisher
     */
    static DmddTrainer.Finisher finisher(Backbone teacher, int trainImages, List<RgbImage> validation,
                                         List<RgbImage> fallback, Path modelDir, PrintWriter log) {
        return (networks, seconds) -> {
            boolean heldOut = !validation.isEmpty();
            List<RgbImage> fitOn = heldOut ? validation : fallback;
            log.println("fitting thresholds on " + fitOn.size() + (heldOut ? " held-out" : " training") + " images");
            log.flush();
            List<AnomalyMaps> maps = Inspector.of(networks, teacher, null).inspect(fitOn);
            Thresholds thresholds = Thresholds.fit(maps, networks.settings(), heldOut ? "validation" : "training");
            ModelFolder.save(modelDir, networks, thresholds, ModelFolder.TrainingSummary.now(
                    networks.settings().totalSteps(), seconds, trainImages, validation.size()));
        };
    }
}
