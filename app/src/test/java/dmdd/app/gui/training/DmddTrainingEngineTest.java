package dmdd.app.gui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImporter;
import dmdd.model.project.ProjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workstation's training names every normal image it leaves out, as the command line's train does. */
class DmddTrainingEngineTest {
    @TempDir
    Path tmp;

    @Test
    void unreadableNormalImagesAreNamedNotOnlyCounted() throws Exception {
        Project project = ProjectStore.create(tmp.resolve("project"), "Tiny");
        new ProjectImporter(project).importMvtecCategory(SampleDataset.generateTiny(tmp.resolve("data")));
        project = ProjectStore.open(project.folder());
        List<Path> normals = project.normalImages().stream().map(i -> i.file()).toList();
        Files.writeString(normals.get(0), "not a picture");
        Files.write(normals.get(1), new byte[0]);
        DmddSettings settings = project.settings().training().with(Map.of("imageSize", 64, "batchSize", 2,
                "studentSteps", 1, "segmenterSteps", 1, "threads", 1, "inspectionViews", 1, "inspectionShifts", 1));
        project = project.with(project.settings().withTraining(settings, "cpu"));
        ProjectStore.save(project);
        List<String> messages = new ArrayList<>();
        Path weights = Files.createDirectories(Path.of("target", "test-weights").toAbsolutePath());
        TrainingEngine.Outcome outcome = new DmddTrainingEngine(weights).train(project, false,
                new TrainingEngine.Listener() {
                    @Override
                    public void progress(TrainingEngine.Update update) {
                    }

                    @Override
                    public void message(String text) {
                        messages.add(text);
                    }
                }, () -> false);
        assertThat(outcome.completed()).isTrue();
        assertThat(messages).anyMatch(m -> m.startsWith("Warning: ") && m.contains(normals.get(0).getFileName().toString())
                && m.endsWith("(skipped)"));
        assertThat(messages).anyMatch(m -> m.contains(normals.get(1).getFileName().toString()) && m.contains("empty"));
    }
}
