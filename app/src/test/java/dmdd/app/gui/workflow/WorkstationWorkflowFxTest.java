package dmdd.app.gui.workflow;

import static dmdd.app.gui.FxToolkit.onFx;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.DmddInspectionEngine;
import dmdd.app.gui.inspection.InspectedItem;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.model.dmdd.Method;
import dmdd.model.project.SampleProject;
import dmdd.model.project.Workspace;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.app.gui.training.TrainingViewModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole workstation with the real model, headless: open the sample project, train with a tiny
 * step count through the settings dialog (progress moves, training finishes, the FX thread is never
 * blocked), inspect, open an image and see four panels, move the threshold and see verdicts change,
 * drag in a corrupt file and see it reported. With {@code -Ddmdd.screenshot=<png>} it also saves a
 * screenshot of the inspection view; with {@code -Ddmdd.screenshot.methods=<png>} or
 * {@code -Ddmdd.screenshot.aand=<png>} it then trains AAND and DCAM too (or the methods of
 * {@code -Ddmdd.screenshot.otherMethods}) and saves the Measure screen's
 * side-by-side table of methods and the inspection screen of the AAND model.
 */
@ExtendWith(ApplicationExtension.class)
class WorkstationWorkflowFxTest {
    /** Longest the FX thread may be unresponsive while training runs (a block, not a speed goal). */
    private static final long MAX_FX_STALL_MS = 2_000;
    /** Training steps: tiny for the test; the README screenshot run asks for more with a property. */
    private static final int STEPS = Integer.getInteger("dmdd.screenshot.steps", 20);
    private static final int IMAGE_SIZE = Integer.getInteger("dmdd.screenshot.imageSize", 64);
    private Workstation workstation;
    private Stage stage;

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM, and a
        // fresh window is sure to be on top where the robot clicks.
        Stage stage = new Stage();
        this.stage = stage;
        // Converted teacher weights are shared between runs (the conversion is the slow part).
        Path weights = Files.createDirectories(Path.of("target", "test-weights").toAbsolutePath());
        workstation = WorkstationApplication.open(stage, new Workspace(dmdd.app.testing.TempFolders.create("dmdd-gui-flow")),
                new DmddTrainingEngine(weights), new DmddInspectionEngine(weights));
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(stage::close);
    }

    @Test
    void trainInspectAndImportLikeAQualityEngineer(FxRobot robot) throws Exception {
        Node root = workstation.view().root();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> SampleProject.NAME.equals(workstation.main().projectNameProperty().get()));

        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> onFx(() -> workstation.training().normalImageSizeProperty().get() != null));
        // No model yet: what needs one is off (it only said "failed" when pressed); importing one is not.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(
                () -> workstation.inspection().messageProperty().get().startsWith("No trained model")));
        assertThat(robot.from(root).lookup("#measureButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.from(root).lookup("#predictionButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.from(root).lookup("#importModelButton").queryButton().isDisabled()).isFalse();
        // the Model menu offers the same two, off and on alike
        assertThat(modelMenuItem(robot, root, "Import model\u2026").isDisable()).isFalse();
        assertThat(modelMenuItem(robot, root, "Export model\u2026").isDisable()).isTrue();
        // Train: the header's Train button opens the settings dialog; choose a tiny run.
        robot.clickOn(button(robot, root, "Train"));
        WaitForAsyncUtils.waitForFxEvents();
        Node dialog = robot.lookup("#trainingSettings").query();
        assertThat(robot.from(dialog).lookup("#resolvedDevice").queryAs(Label.class).getText()).contains("CPU");
        robot.interact(() -> {
            robot.from(dialog).lookup("#stepsSpinner").<Spinner<Integer>>query().getValueFactory().setValue(STEPS);
            robot.from(dialog).lookup("#imageSizeChoice").<ComboBox<Integer>>query().setValue(IMAGE_SIZE);
        });
        // Tiling advice: the sample's 256 px images shrunk to the input would lose a 1 px defect; the
        // dialog proposes native-scale tiling with a time estimate. This run keeps whole images (defect 0).
        robot.interact(() -> robot.from(dialog).lookup("#smallestDefectSpinner").<Spinner<Integer>>query()
                .getValueFactory().setValue(1));
        assertThat(robot.from(dialog).lookup("#tilingAdvice").queryAs(Label.class).getText())
                .contains("tiling at scale 1.00").contains("per image");
        assertThat(robot.from(dialog).lookup("#tileCheck").queryAs(javafx.scene.control.CheckBox.class).isSelected())
                .isTrue();
        robot.interact(() -> robot.from(dialog).lookup("#smallestDefectSpinner").<Spinner<Integer>>query()
                .getValueFactory().setValue(0));
        ProbeResult probe = new ProbeResult();
        probe.start();
        robot.clickOn(button(robot, dialog, "OK"));

        TrainingViewModel training = workstation.training();
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> onFx(() -> training.progressProperty().get() > 0
                && training.progressProperty().get() < 1 || training.lastOutcomeProperty().get() != null));
        assertThat(onFx(() -> training.lastOutcomeProperty().get())).as("progress was seen before the end").isNull();
        WaitForAsyncUtils.waitFor(300 + STEPS * 5L, TimeUnit.SECONDS, () -> onFx(() -> training.lastOutcomeProperty().get() != null
                || training.messageProperty().get().startsWith("Training failed")));
        probe.stop();
        assertThat(training.messageProperty().get()).doesNotStartWith("Training failed");
        assertThat(training.lastOutcomeProperty().get().completed()).isTrue();
        assertThat(training.lastOutcomeProperty().get().completedSteps()).isEqualTo(STEPS);
        assertThat(training.losses()).isNotEmpty();
        assertThat(workstation.main().projectProperty().get().settings().training().imageSize()).isEqualTo(IMAGE_SIZE);
        System.out.println("FX thread: longest stall while training " + probe.maxStallMillis() + " ms; training "
                + Math.round(training.lastOutcomeProperty().get().seconds()) + " s for " + STEPS + " steps at "
                + IMAGE_SIZE + " px");
        assertThat(probe.maxStallMillis()).as("longest FX-thread stall during training (ms)").isLessThan(MAX_FX_STALL_MS);

        String trainingShot = System.getProperty("dmdd.screenshot.training");
        if (trainingShot != null && !trainingShot.isBlank()) {
            robot.interact(() -> workstation.view().selectScreen("trainingTab"));
            WaitForAsyncUtils.waitForFxEvents();
            WritableImage[] shot = new WritableImage[1];
            robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
            ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", new File(trainingShot));
        }

        // Inspect every image with the new model.
        InspectionViewModel inspection = workstation.inspection();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> inspection.modelReadyProperty().get());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(
                () -> !modelMenuItem(robot, root, "Export model\u2026").isDisable()));
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        robot.clickOn(button(robot, root, "Inspect all"));
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> !inspection.runningProperty().get()
                && inspection.items().stream().allMatch(InspectedItem::isInspected));

        // Open the highest-scoring image: four panels, each with a picture.
        robot.interact(() -> inspection.sortOrderProperty().set(InspectionViewModel.SortOrder.SCORE_DESCENDING));
        robot.interact(() -> inspection.selectedProperty().set(inspection.gallery().get(0)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> inspection.detailProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        List<Node> panels = workstation.inspectionView().panels();
        assertThat(panels).hasSize(4);
        for (Node panel : panels) {
            assertThat(robot.from(panel).lookup(".image-view").queryAllAs(ImageView.class))
                    .anyMatch(view -> view.getImage() != null && view.getFitWidth() > 20);
        }
        String screenshot = System.getProperty("dmdd.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            WritableImage[] shot = new WritableImage[1];
            robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
            ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", new File(screenshot));
        }

        // For the README only: with -Ddmdd.screenshot.methods=<png> and/or -Ddmdd.screenshot.aand=<png> the other
        // methods are trained too (the same steps and image size), then Measure's side-by-side table and the
        // inspection screen of the AAND model are saved (the rest of the test then runs with AAND chosen). Without
        // these properties nothing more happens.
        String methodsShot = System.getProperty("dmdd.screenshot.methods");
        String aandShot = System.getProperty("dmdd.screenshot.aand");
        if (isSet(methodsShot) || isSet(aandShot)) {
            screenshotsOfSeveralMethods(robot, root, methodsShot, aandShot);
        }

        // Move the image thresholds: the verdicts change at once.
        org.controlsfx.control.RangeSlider threshold = robot.from(root).lookup("#imageThresholds")
                .queryAs(org.controlsfx.control.RangeSlider.class);
        Label counts = robot.from(root).lookup("#verdictCounts").queryAs(Label.class);
        robot.interact(() -> {
            threshold.setLowValue(threshold.getMin());
            threshold.setHighValue(threshold.getMin());
        });
        String lowCounts = counts.getText();
        robot.interact(() -> {
            threshold.setHighValue(threshold.getMax());
            threshold.setLowValue(threshold.getMax());
        });
        assertThat(counts.getText()).isNotEqualTo(lowCounts).endsWith("0 NG");
        assertThat(lowCounts).startsWith("0 OK");

        // Drag a corrupt file and a good one onto the images to inspect: the good one imports, the corrupt one is listed.
        Path drop = dmdd.app.testing.TempFolders.create("dmdd-drop");
        Path corrupt = drop.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'});
        Path good = drop.resolve("extra.png");
        Files.copy(workstation.main().normalImages().get(0).file(), good);
        int before = workstation.main().inspectImages().size();
        robot.interact(() -> workstation.view().selectScreen("imagesTab"));
        Node inspectGrid = robot.from(root).lookup("#inspect-grid").query();
        robot.interact(() -> dmdd.app.gui.FileDrops.drop(inspectGrid, List.of(corrupt.toFile(), good.toFile())));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !workstation.main().skippedFiles().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> problems = robot.from(root).lookup(".problems .list-view").queryAs(ListView.class);
        assertThat(problems.isVisible()).isTrue();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> robot.from(problems).lookup(".list-cell")
                .queryAllAs(javafx.scene.control.ListCell.class).stream()
                .anyMatch(cell -> cell.getText() != null && cell.getText().startsWith("corrupt.png"))));
        assertThat(workstation.main().inspectImages()).hasSize(before + 1);
    }

    /**
     * Trains the methods of {@code -Ddmdd.screenshot.otherMethods} (default {@code AAND,DCAM}) beside DMDD,
     * chooses AAND for inspection on the training screen, opens the highest-scoring image (panels named after
     * AAND's per-level maps) and measures every trained method on the Measure screen.
     */
    private void screenshotsOfSeveralMethods(FxRobot robot, Node root, String methodsShot, String aandShot)
            throws Exception {
        List<Method> others = java.util.Arrays.stream(System.getProperty("dmdd.screenshot.otherMethods", "AAND,DCAM")
                .split(",")).map(String::trim).filter(name -> !name.isEmpty()).map(Method::fromCliName).toList();
        for (Method method : others) {
            train(robot, root, method);
        }
        TrainingViewModel training = workstation.training();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> !training.runningProperty().get()));

        // Inspect with AAND, chosen the way people choose it: the training screen's method list.
        InspectionViewModel inspection = workstation.inspection();
        robot.interact(() -> workstation.view().selectScreen("trainingTab"));
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ComboBox<Method> choice = robot.from(root).lookup("#methodChoice").queryAs(ComboBox.class);
        if (choice.getValue() != Method.AAND) {
            robot.clickOn(choice);
            WaitForAsyncUtils.waitForFxEvents();
            robot.clickOn(robot.lookup(".combo-box-popup .list-cell")
                    .lookup((javafx.scene.control.ListCell<?> c) -> "AAND".equals(c.getText())).<Node>query());
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertThat(choice.getValue()).isEqualTo(Method.AAND);
        List<String> aandTitles = List.of("Original", "Fine level (1/4)", "Coarse levels (1/8, 1/16)",
                "Fused (sum of levels)");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> inspection.modelReadyProperty().get()
                && workstation.inspectionView().panelTitles().equals(aandTitles)));
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        robot.clickOn(button(robot, root, "Inspect all"));
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> onFx(() -> !inspection.runningProperty().get()
                && inspection.items().stream().allMatch(InspectedItem::isInspected)));
        robot.interact(() -> inspection.sortOrderProperty().set(InspectionViewModel.SortOrder.SCORE_DESCENDING));
        robot.interact(() -> inspection.selectedProperty().set(inspection.gallery().get(0)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> inspection.detailProperty().get() != null));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workstation.inspectionView().panelTitles()).isEqualTo(aandTitles);
        if (isSet(aandShot)) {
            save(robot, aandShot);
        }

        // Measure: one row per trained method, each at its own model's calibrated threshold.
        robot.interact(() -> workstation.view().selectScreen("metricsTab"));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.from(root).lookup("#measureButton").queryButton());
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<?> table = robot.from(root).lookup("#comparisonTable")
                .queryAs(javafx.scene.control.TableView.class);
        Button measure = robot.from(root).lookup("#measureButton").queryButton();
        WaitForAsyncUtils.waitFor(600, TimeUnit.SECONDS, () -> onFx(() -> !measure.isDisabled()
                && table.getItems().size() == 1 + others.size()));
        // The curves are drawn with an animation: let it end before the picture.
        Thread.sleep(2_000);
        WaitForAsyncUtils.waitForFxEvents();
        for (Object row : table.getItems()) {
            System.out.println("Measure: " + row);
        }
        if (isSet(methodsShot)) {
            save(robot, methodsShot);
        }
    }

    /** Trains one method through the settings dialog with the run's steps and image size, and waits for the end. */
    private void train(FxRobot robot, Node root, Method method) throws Exception {
        TrainingViewModel training = workstation.training();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> !training.runningProperty().get()));
        Object before = onFx(() -> training.lastOutcomeProperty().get());
        robot.clickOn(button(robot, root, "Train"));
        WaitForAsyncUtils.waitForFxEvents();
        Node dialog = robot.lookup("#trainingSettings").query();
        robot.interact(() -> {
            robot.from(dialog).lookup("#dialogMethodChoice").<ComboBox<Method>>query().setValue(method);
            robot.from(dialog).lookup("#stepsSpinner").<Spinner<Integer>>query().getValueFactory().setValue(STEPS);
            robot.from(dialog).lookup("#imageSizeChoice").<ComboBox<Integer>>query().setValue(IMAGE_SIZE);
        });
        robot.clickOn(button(robot, dialog, "OK"));
        WaitForAsyncUtils.waitFor(600 + STEPS * 10L, TimeUnit.SECONDS, () -> onFx(() ->
                training.lastOutcomeProperty().get() != before
                        || training.messageProperty().get().startsWith("Training failed")));
        assertThat(training.messageProperty().get()).as(method + " training").doesNotStartWith("Training failed");
        assertThat(training.lastOutcomeProperty().get().completed()).isTrue();
        // The inspection screen loads the new model and renders the image it shows before the next run switches
        // method (a render still under way when the method changes would be shown without a calibration).
        InspectionViewModel inspection = workstation.inspection();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> inspection.modelReadyProperty().get()
                && (inspection.selectedProperty().get() == null || inspection.detailProperty().get() != null)));
        System.out.println(method + ": trained " + STEPS + " steps at " + IMAGE_SIZE + " px in "
                + Math.round(training.lastOutcomeProperty().get().seconds()) + " s");
    }

    private void save(FxRobot robot, String png) throws Exception {
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", new File(png));
    }

    private static boolean isSet(String property) {
        return property != null && !property.isBlank();
    }

    /** Posts to the FX thread every 20 ms and records the longest wait for it to run. */
    private static final class ProbeResult {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong maxStall = new AtomicLong();
        private Thread thread;

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    long posted = System.nanoTime();
                    java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
                    Platform.runLater(ran::countDown);
                    try {
                        ran.await(30, TimeUnit.SECONDS);
                        maxStall.accumulateAndGet((System.nanoTime() - posted) / 1_000_000, Math::max);
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fx-latency-probe");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }

        long maxStallMillis() {
            return maxStall.get();
        }
    }

    /**
     * The button with that text below {@code parent}, looked up on the FX thread: a lookup from the test's thread
     * read style classes while the screen still changed them (an index out of bounds inside JavaFX's selector).
     */
    private static Button button(FxRobot robot, Node parent, String text) throws Exception {
        return onFx(() -> robot.from(parent).lookup(".button").lookup((Button b) -> text.equals(b.getText()))
                .queryButton());
    }

    /** The item of the main window's Model menu with this text. */
    private static javafx.scene.control.MenuItem modelMenuItem(FxRobot robot, Node root, String text) {
        return robot.from(root).lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class).getMenus().stream()
                .filter(menu -> "Model".equals(menu.getText())).findFirst().orElseThrow().getItems().stream()
                .filter(item -> text.equals(item.getText())).findFirst().orElseThrow();
    }
}
