package dmdd.app.gui.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.app.testing.TempFolders;
import dmdd.app.testing.TinyModel;
import dmdd.datasets.image.ImageLoader;
import dmdd.datasets.image.RgbImage;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.ModelFolder;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.ProjectStore;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workstation's engine scores with the model its project's folder holds now. */
class DmddInspectionEngineTest {

    @Test
    void aModelReplacedOutsideTheWorkstationIsTheOneThatScores() throws Exception {
        Path data = TempFolders.create("dmdd-engine-replaced");
        Project project = ProjectStore.create(data.resolve("project"), "Replaced");
        TinyModel.get().project(project.folder(), true);
        project = ProjectStore.open(project.folder());
        Path image;
        try (var files = Files.walk(project.folder().resolve("inspect"))) {
            image = files.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        Path weights = Files.createDirectories(Path.of("target", "test-weights").toAbsolutePath());
        DmddInspectionEngine engine = new DmddInspectionEngine(weights);
        try {
            double before = engine.inspect(project, image).score();
            String oldModel = engine.calibration(project).modelId();

            // The command line improves the model while the workstation has the old one open (dmdd improve).
            ModelFolder model = ModelFolder.read(project.chosenModelDir());
            ImageLoader reader = model.settings().preprocessing().networkInputs();
            List<RgbImage> normals = new ArrayList<>();
            for (ProjectImage normal : project.normalImages()) {
                normals.add(reader.read(normal.file()));
            }
            DjlRuntime.engine();
            try (NDManager manager = NDManager.newBaseManager()) {
                assertThat(TrainingJob.improve(project.chosenModelDir(), normals,
                        Teachers.load(model.teacher(), manager, weights, dmdd.model.teacher.DownloadProgress.NONE), 4, null, null).completed()).isTrue();
            }
            String newModel = engine.calibration(project).modelId();
            assertThat(newModel).isNotEqualTo(oldModel);

            double after = engine.inspect(project, image).score();
            double newModelsScore;
            try (InspectionPipeline fresh = InspectionPipeline.open(project.chosenModelDir(),
                    ai.djl.Device.cpu(), weights, null)) {
                newModelsScore = fresh.inspect(image, 64, null).score();
            }
            assertThat(after).as("the score the thresholds of %s judge", newModel).isEqualTo(newModelsScore);
            assertThat(after).as("the improved model scores otherwise than the first").isNotEqualTo(before);
        } finally {
            engine.close();
        }
    }
}
