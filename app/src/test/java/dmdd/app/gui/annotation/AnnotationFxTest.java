package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The annotation screen, headless under Monocle: paint, undo, redo, reopen; label with keys. */
@ExtendWith(ApplicationExtension.class)
public class AnnotationFxTest {
    private static final int W = 64;
    private static final int H = 48;
    private Path project;
    private List<Path> images;
    private Stage stage;
    private AnnotationView view;
    private AnnotationViewModel vm;
    private final ExecutorService saves = Executors.newSingleThreadExecutor(BackgroundWork.daemonThreads("test-save"));

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM.
        this.stage = new Stage();
        project = Files.createTempDirectory("dmdd-annotation-fx");
        Path crack = project.resolve("inspect/crack/000.png");
        Path good = project.resolve("inspect/good/000.png");
        Path loose = project.resolve("inspect/part-9.png");
        BufferedImage picture = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                picture.setRGB(x, y, ((x * 4) << 16) | ((y * 5) << 8) | 90);
            }
        }
        for (Path p : List.of(crack, good, loose)) {
            ImageWriter.writePng(picture, p);
        }
        boolean[] square = new boolean[W * H];
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                square[y * W + x] = true;
            }
        }
        MaskIo.write(Mask.of(W, H, square), project.resolve("ground_truth/crack/000_mask.png"));
        images = List.of(crack, good, loose);
        vm = newViewModel();
        view = new AnnotationView(vm);
        Scene scene = new Scene(view.root(), 1000, 700);
        scene.getStylesheets().add(Ui.stylesheet());
        stage.setScene(scene);
        stage.show();
        vm.show(project, images);
    }

    private AnnotationViewModel newViewModel() {
        return new AnnotationViewModel(BackgroundWork.javaFx(1), saves, AnnotationViewModel.defaultLoader(),
                (folder, image) -> {
                    throw new IllegalStateException("no model in this test");
                });
    }

    @AfterEach
    void stopSaving(FxRobot robot) throws InterruptedException {
        robot.interact(stage::close);
        saves.shutdown();
        saves.awaitTermination(10, TimeUnit.SECONDS);
        deleteTree(project);
    }

    /**
     * Deletes a temporary folder tree (best effort).
     *
     * @param root the folder
     */
    public static void deleteTree(java.nio.file.Path root) {
        if (root == null) {
            return;
        }
        try (var s = java.nio.file.Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // A temporary folder; the system cleans it eventually.
        }
    }


    private void waitForImage(FxRobot robot, int index) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.selectedIndexProperty().get() == index
                && vm.imageProperty().get() != null && images.get(index).equals(vm.currentFile()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Point2D onScreen(double imageX, double imageY) {
        double[] c = view.toCanvas(imageX, imageY);
        return view.canvas().localToScreen(c[0], c[1]);
    }

    @Test
    void paintUndoRedoAndFindTheMaskAfterReopening(FxRobot robot) throws Exception {
        waitForImage(robot, 0);
        robot.clickOn("part-9.png");
        waitForImage(robot, 2);
        robot.interact(() -> vm.brushRadiusProperty().set(3));
        robot.interact(() -> view.root().requestFocus());
        robot.type(KeyCode.B);
        robot.drag(onScreen(10, 20), MouseButton.PRIMARY).moveTo(onScreen(40, 22)).moveTo(onScreen(50, 30))
                .release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        int painted = vm.mask().area();
        assertThat(painted).isGreaterThan(100);
        // The mask is drawn over the image in red: on the stroke red dominates, away from it the image shows.
        assertThat(redness(robot, 25, 21)).isGreaterThan(60);
        assertThat(redness(robot, 10, 42)).isLessThan(20);
        assertThat(vm.labelProperty().get()).isEqualTo(Label.DEFECT);
        Path mask = project.resolve("ground_truth/defect/part-9_mask.png");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(mask));
        assertThat(MaskIo.read(mask).area()).isEqualTo(painted);

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.mask().area()).isZero();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !Files.exists(mask));

        robot.press(KeyCode.CONTROL).type(KeyCode.Y).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.mask().area()).isEqualTo(painted);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(mask));

        // Reopen: a fresh screen on the same project folder finds the mask.
        assertThat(vm.flush()).isTrue();
        robot.interact(() -> {
            vm = newViewModel();
            view = new AnnotationView(vm);
            stage.getScene().setRoot(view.root());
            vm.show(project, images);
        });
        waitForImage(robot, 0);
        robot.clickOn("part-9.png");
        waitForImage(robot, 2);
        assertThat(vm.mask().area()).isEqualTo(painted);
        assertThat(vm.entries().get(2).label()).isEqualTo(Label.DEFECT);
    }

    /** Red minus green of the canvas pixel over an image position. */
    private int redness(FxRobot robot, double imageX, double imageY) {
        double[] c = view.toCanvas(imageX, imageY);
        javafx.scene.image.WritableImage[] snap = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> snap[0] = view.canvas().snapshot(null, null));
        int argb = snap[0].getPixelReader().getArgb((int) c[0], (int) c[1]);
        return ((argb >> 16) & 0xff) - ((argb >> 8) & 0xff);
    }

    @Test
    void labelImagesWithTheKeyboard(FxRobot robot) throws Exception {
        waitForImage(robot, 0);
        robot.interact(() -> view.root().requestFocus());
        // crack/000 is defective (MVTec ground truth): O says it is fine after all, which removes its mask.
        robot.type(KeyCode.O);
        robot.type(KeyCode.RIGHT);
        waitForImage(robot, 1);
        robot.type(KeyCode.D);
        robot.type(KeyCode.RIGHT);
        waitForImage(robot, 2);
        robot.type(KeyCode.O);
        robot.type(KeyCode.LEFT);
        waitForImage(robot, 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.flush()).isTrue();
        assertThat(vm.entries()).extracting(AnnotationViewModel.Entry::label)
                .containsExactly(Label.OK, Label.DEFECT, Label.OK);
        AnnotationStore store = AnnotationStore.forProject(project);
        assertThat(store.load(images.get(0)).label()).isEqualTo(Label.OK);
        assertThat(store.load(images.get(1)).label()).isEqualTo(Label.DEFECT);
        assertThat(store.load(images.get(2)).label()).isEqualTo(Label.OK);
        // Marked OK, the MVTec mask is set aside (measured as no defect), not deleted.
        assertThat(store.load(images.get(0)).mask()).isNull();
        assertThat(project.resolve("ground_truth/crack/000_mask.png")).exists();
    }
}
