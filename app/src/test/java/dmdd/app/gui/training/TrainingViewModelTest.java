package dmdd.app.gui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.FxToolkit;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training screen's state without a window, with a scripted trainer. */
class TrainingViewModelTest {

    @BeforeAll
    static void toolkit() {
        FxToolkit.start();
    }

    @Test
    void aRunReportsProgressLossesAndItsEnd(@TempDir Path folder) throws Exception {
        Project project = ProjectStore.create(folder.resolve("p"), "P");
        ScriptedTrainingEngine engine = new ScriptedTrainingEngine(20);
        TrainingViewModel model = FxToolkit.onFx(() -> new TrainingViewModel(engine, BackgroundWork.inline()));
        AtomicInteger finished = new AtomicInteger();
        java.util.List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        FxToolkit.onFx(() -> {
            model.setOnFinished(outcome -> finished.incrementAndGet());
            model.stageProperty().addListener((obs, was, now) -> stages.add(now));
            model.projectProperty().set(project);
            model.start(false);
            return null;
        });
        FxToolkit.waitUntil(20, () -> finished.get() == 1);
        FxToolkit.onFx(() -> {
            assertThat(model.runningProperty().get()).isFalse();
            assertThat(model.lastOutcomeProperty().get().completed()).isTrue();
            // Each stage's total is its own curve: joined, the stage boundary read as a sudden improvement.
            assertThat(model.losses()).filteredOn(p -> p.term().equals("total, student")).hasSize(10);
            assertThat(model.losses()).as("a total of one term is that term's curve")
                    .noneMatch(p -> p.term().equals("total, segmenter"));
            assertThat(model.losses()).filteredOn(p -> p.term().equals("segmentation")).hasSize(10);
            assertThat(model.losses().get(0).value()).isGreaterThan(model.losses().get(model.losses().size() - 1).value());
            assertThat(stages).as("what each stage does, in words").contains(
                    "Learning what normal parts look like (student) \u2014 step 1 of 20",
                    "Learning to outline defects (segmentation network) \u2014 step 20 of 20");
            assertThat(model.stageProperty().get()).as("not the last stage's name, as if it still worked")
                    .isEqualTo("Finished \u2713 \u2014 20 steps");
            assertThat(model.speedProperty().get()).contains("12.5");
            assertThat(model.deviceProperty().get()).isEqualTo("CPU (scripted)");
            assertThat(model.canResumeProperty().get()).isFalse();
            return null;
        });
        Project other = ProjectStore.create(folder.resolve("q"), "Q");
        FxToolkit.onFx(() -> {
            model.projectProperty().set(other);
            assertThat(model.losses()).as("another project shows none of the last run's curve").isEmpty();
            assertThat(model.stageProperty().get()).isEmpty();
            assertThat(model.lastOutcomeProperty().get()).isNull();
            return null;
        });
    }

    @Test
    void cancelKeepsACheckpointAndResumeContinuesFromIt(@TempDir Path folder) throws Exception {
        Project project = ProjectStore.create(folder.resolve("p"), "P");
        ScriptedTrainingEngine engine = new ScriptedTrainingEngine(10);
        engine.waitForCancel = true;
        TrainingViewModel model = FxToolkit.onFx(() -> new TrainingViewModel(engine, BackgroundWork.inline()));
        FxToolkit.onFx(() -> {
            model.projectProperty().set(project);
            model.start(false);
            return null;
        });
        FxToolkit.waitUntil(20, () -> model.losses().size() >= 6);
        assertThat(FxToolkit.onFx(() -> model.runningProperty().get())).isTrue();
        FxToolkit.onFx(() -> {
            model.cancel();
            return null;
        });
        FxToolkit.waitUntil(20, () -> model.lastOutcomeProperty().get() != null);
        FxToolkit.onFx(() -> {
            assertThat(model.lastOutcomeProperty().get().completed()).isFalse();
            assertThat(model.canResumeProperty().get()).isTrue();
            return null;
        });
        engine.waitForCancel = false;
        FxToolkit.onFx(() -> {
            model.lastOutcomeProperty().set(null);
            model.start(true);
            return null;
        });
        FxToolkit.waitUntil(20, () -> model.lastOutcomeProperty().get() != null);
        assertThat(engine.resumedFrom.get()).isEqualTo(3);
        assertThat(FxToolkit.onFx(() -> model.lastOutcomeProperty().get().completed())).isTrue();
    }

    @Test
    void durationsReadLikeAClock() {
        assertThat(TrainingViewModel.formatDuration(75)).isEqualTo("1:15");
        assertThat(TrainingViewModel.formatDuration(3725)).isEqualTo("1:02:05");
        assertThat(TrainingViewModel.formatDuration(Double.NaN)).isEqualTo("\u2013");
    }
}
