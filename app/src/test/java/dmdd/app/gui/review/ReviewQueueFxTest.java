package dmdd.app.gui.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.InspectedItem;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.app.gui.inspection.ScriptedInspectionEngine;
import dmdd.app.gui.inspection.Verdict;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.app.testing.TempFolders;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImporter;
import dmdd.model.project.ProjectStore;
import dmdd.model.project.ReviewedNormals;
import dmdd.model.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.RangeSlider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The review queue in the running workstation (headless, scripted model): the unsure images come first, then
 * the NG ones; {@code O} and {@code D} store decisions with the annotations (atomically, through Annotate's
 * store), move on, show the decision in the gallery, and an image marked OK is copied into the normal set.
 */
@ExtendWith(ApplicationExtension.class)
class ReviewQueueFxTest {
    private Workstation workstation;
    private Stage stage;
    private Project project;

    @Start
    void start(Stage primary) throws Exception {
        Path data = TempFolders.create("dmdd-gui-review");
        project = ProjectStore.create(data.resolve("project"), "Review");
        new ProjectImporter(project).importMvtecCategory(SampleDataset.generateTiny(data.resolve("sample")));
        Workspace workspace = new Workspace(data.resolve("user"));
        workspace.remember(project.folder());
        stage = new Stage();
        workstation = WorkstationApplication.open(stage, workspace, new DmddTrainingEngine(),
                new ScriptedInspectionEngine());
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(stage::close);
    }

    @Test
    void unsureFirstThenNgAndOAndDStoreDecisionsAndMoveOn(FxRobot robot) throws Exception {
        InspectionViewModel model = workstation.inspection();
        Node root = workstation.view().root();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.modelReadyProperty().get()
                && model.items().size() == 8 && model.decisions().size() == 8);
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        robot.interact(() -> model.inspectAll(false));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> !model.runningProperty().get() && model.items().stream().allMatch(InspectedItem::isInspected));

        // A band over the middle scores: the lowest ones OK, the highest NG, the rest unsure.
        double[] scores = model.items().stream().mapToDouble(InspectedItem::score).sorted().toArray();
        double[] distinct = java.util.Arrays.stream(scores).distinct().toArray();
        assertThat(distinct.length).isGreaterThanOrEqualTo(3);
        double low = distinct[0];
        double high = distinct[distinct.length - 2];
        RangeSlider range = robot.from(root).lookup("#imageThresholds").queryAs(RangeSlider.class);
        robot.interact(() -> {
            range.setHighValue(range.getMax());
            range.setLowValue(low);
            range.setHighValue(high);
        });
        int unsure = (int) java.util.Arrays.stream(scores).filter(s -> s > low && s <= high).count();
        int ng = (int) java.util.Arrays.stream(scores).filter(s -> s > high).count();
        assertThat(unsure).isPositive();
        assertThat(model.unsureCountProperty().get()).isEqualTo(unsure);
        assertThat(model.ngCountProperty().get()).isEqualTo(ng).isPositive();

        Button reviewButton = robot.from(root).lookup("#reviewButton").queryAs(Button.class);
        // every image of the sample folders carries its folder's label: the queue is flagged and all decided
        assertThat(reviewButton.getText()).isEqualTo("Review (all " + (unsure + ng) + " decided)");
        robot.interact(() -> {
            range.setHighValue(range.getMax());
            range.setLowValue(range.getMax());
        });
        assertThat(reviewButton.getText()).isEqualTo("Review (none flagged)");
        robot.interact(() -> {
            range.setLowValue(low);
            range.setHighValue(high);
        });
        InspectedItem undecided = model.items().stream().filter(i -> model.verdict(i) == Verdict.UNSURE).findFirst()
                .orElseThrow();
        Label itsLabel = model.decision(undecided);
        robot.interact(() -> model.decisions().remove(undecided.image().file()));
        assertThat(reviewButton.getText()).isEqualTo("Review (1 of " + (unsure + ng) + " left)");
        robot.interact(() -> model.decisions().put(undecided.image().file(), itsLabel));

        robot.clickOn(reviewButton);
        WaitForAsyncUtils.waitForFxEvents();
        List<Verdict> queue = model.gallery().stream().map(model::verdict).toList();
        List<Verdict> expected = new java.util.ArrayList<>(java.util.Collections.nCopies(unsure, Verdict.UNSURE));
        expected.addAll(java.util.Collections.nCopies(ng, Verdict.NG));
        assertThat(queue).as("unsure first, then NG, nothing else").isEqualTo(expected);

        // O on an image annotated defective (its folder): now OK, stored, copied into the normal set, next shown.
        InspectedItem defect = model.gallery().stream().filter(i -> model.decision(i) == Label.DEFECT).findFirst()
                .orElseThrow();
        robot.interact(() -> model.selectedProperty().set(defect));
        // back from another screen, the keys reach the inspection screen without a click into it first
        robot.interact(() -> workstation.view().selectScreen("imagesTab"));
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        assertThat(model.selectedProperty().get()).isEqualTo(defect);
        robot.type(KeyCode.O);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.decision(defect)).isEqualTo(Label.OK);
        assertThat(model.selectedProperty().get()).isNotEqualTo(defect);
        Path copy = ReviewedNormals.copyOf(project, defect.image().file());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Files.isRegularFile(copy));
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(defect.image().file()));
        assertThat(defect.image().file()).as("copied, never moved").exists();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> workstation.main().normalImages().stream()
                .anyMatch(image -> image.file().equals(copy)));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "ok".equals(savedLabel(defect)));
        assertThat(shownDecision(robot, defect)).isEqualTo("\u2713 marked OK");

        // D on an image annotated OK: defective, stored; its copy (if any) leaves the normal set.
        InspectedItem ok = model.gallery().stream().filter(i -> model.decision(i) == Label.OK && i != defect
                && !i.image().file().equals(defect.image().file())).findFirst().orElseThrow();
        robot.interact(() -> model.selectedProperty().set(ok));
        // by mouse this time: the detail header's button does what D does
        robot.clickOn(robot.lookup("#markDefectButton").queryButton());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.decision(ok)).isEqualTo(Label.DEFECT);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "defect".equals(savedLabel(ok)));
        assertThat(shownDecision(robot, ok)).isEqualTo("\u2717 marked defect");
        assertThat(ReviewedNormals.copyOf(project, ok.image().file())).doesNotExist();
        assertThat(copy).as("the first decision stands").exists();
        assertThat(savedLabel(defect)).isEqualTo("ok");
    }

    /** The label annotations.json holds for an image, or null. */
    private String savedLabel(InspectedItem item) throws Exception {
        Path file = project.folder().resolve("annotations.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String key = project.inspectDir().relativize(item.image().file()).toString().replace('\\', '/');
        JsonNode entry = new ObjectMapper().readTree(file.toFile()).path("images").path(key);
        return entry.isMissingNode() ? null : entry.path("label").asText();
    }

    /** The decision mark of the gallery cell showing an item. */
    private String shownDecision(FxRobot robot, InspectedItem item) {
        return robot.from(workstation.view().root()).lookup("#gallery .thumbnail-cell").queryAllAs(GridCell.class)
                .stream().filter(cell -> cell.isVisible() && cell.getItem() instanceof InspectedItem shown
                        && shown.image().file().equals(item.image().file()))
                .map(cell -> robot.from(cell).lookup(".decision").queryAs(javafx.scene.control.Label.class))
                .filter(javafx.scene.control.Label::isVisible).map(javafx.scene.control.Label::getText)
                .findFirst().orElse(null);
    }
}
