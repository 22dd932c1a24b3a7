package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotation screen's state, without a window: inline background work and saves. */
class AnnotationViewModelTest {
    @TempDir
    Path project;
    private List<Path> images;
    private AnnotationViewModel vm;

    @BeforeEach
    void project() throws IOException {
        Path a = project.resolve("inspect/good/000.png");
        Path b = project.resolve("inspect/crack/000.png");
        Path c = project.resolve("inspect/part-9.png");
        for (Path p : List.of(b, a, c)) {
            ImageWriter.writePng(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), p);
        }
        boolean[] square = new boolean[40 * 30];
        for (int y = 5; y < 10; y++) {
            for (int x = 5; x < 10; x++) {
                square[y * 40 + x] = true;
            }
        }
        MaskIo.write(Mask.of(40, 30, square), project.resolve("ground_truth/crack/000_mask.png"));
        images = List.of(b, a, c);
        vm = viewModel((folder, image) -> {
            float[] fused = new float[4 * 3];
            fused[0] = 0.9f;
            return new AnnotationViewModel.Prediction(fused, 4, 3, 0.5f);
        });
        vm.show(project, images);
    }

    private static AnnotationViewModel viewModel(AnnotationViewModel.PredictionSource predictions) {
        return new AnnotationViewModel(BackgroundWork.inline(), Runnable::run, AnnotationViewModel.defaultLoader(),
                predictions);
    }

    @Test
    void aReloadNeverWaitsOnTheUiThreadForASlowSaveAndStillReadsItBack() throws Exception {
        // The test thread is the UI thread: it runs the callbacks it takes from this queue.
        BlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
        ExecutorService workers = Executors.newSingleThreadExecutor();
        ExecutorService saves = Executors.newSingleThreadExecutor();
        BackgroundWork background = BackgroundWork.on(workers, ui::add);
        try {
            AnnotationViewModel slow = new AnnotationViewModel(background, saves, AnnotationViewModel.defaultLoader(),
                    (folder, image) -> null);
            slow.show(project, images);
            while (slow.busyProperty().get() || slow.entries().isEmpty()) {
                ui.take().run();
            }
            CountDownLatch disk = new CountDownLatch(1);
            saves.execute(() -> {
                try {
                    disk.await(); // a slow disk: every save queued after this waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            slow.decide(images.get(2), Label.OK);

            // settings, a tab or the selection changed: the list is shown again while the save still waits
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> slow.show(project, images), "show() waited on the UI thread for the queued save");
            assertThat(disk.getCount()).as("the save was still waiting").isEqualTo(1);
            disk.countDown();
            while (slow.busyProperty().get()) {
                ui.take().run();
            }
            assertThat(slow.entries().get(2).label()).isEqualTo(Label.OK);
            assertThat(AnnotationStore.forProject(project).load(images.get(2)).label()).isEqualTo(Label.OK);
        } finally {
            workers.shutdownNow();
            saves.shutdownNow();
        }
    }

    @Test
    void anImageMarkedDefectiveHereLeavesTheNormalSetTheReviewQueueCopiedItInto() throws IOException {
        dmdd.model.project.Project opened = dmdd.model.project.ProjectStore.create(project, "p");
        Path good = project.resolve("inspect/good/000.png");
        // the review queue marked it OK: a copy of it is a normal training image now
        Path copy = dmdd.model.project.ReviewedNormals.add(opened, good);
        assertThat(copy).exists();
        vm.show(project, images);
        vm.decide(good, Label.DEFECT);
        assertThat(copy).as("a known defect is never trained on as a normal part").doesNotExist();
        assertThat(good).exists();
    }

    @Test
    void aPredictionThatArrivesAfterAnotherProjectOpenedIsDropped(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path a = tmp.resolve("a/inspect/x.png");
        Path b = tmp.resolve("b/inspect/y.png");
        for (Path p : List.of(a, b)) {
            ImageWriter.writePng(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), p);
        }
        java.util.Deque<Runnable> held = new java.util.ArrayDeque<>();
        boolean[] hold = {false};
        BackgroundWork background = BackgroundWork.on(r -> {
            if (hold[0]) {
                held.add(r);
            } else {
                r.run();
            }
        }, Runnable::run);
        AnnotationViewModel twoProjects = new AnnotationViewModel(background, Runnable::run,
                AnnotationViewModel.defaultLoader(), (folder, image) -> {
                    float[] fused = new float[4 * 3];
                    java.util.Arrays.fill(fused, 0.9f);
                    return new AnnotationViewModel.Prediction(fused, 4, 3, 0.5f);
                });
        twoProjects.show(tmp.resolve("a"), List.of(a));
        twoProjects.select(0);
        hold[0] = true;
        twoProjects.startFromPrediction();
        twoProjects.show(tmp.resolve("b"), List.of(b));
        hold[0] = false;
        while (!held.isEmpty()) {
            held.poll().run(); // threw a NullPointerException on the UI thread, or saved a's mask into b's store
        }
        assertThat(tmp.resolve("a/ground_truth")).doesNotExist();
        assertThat(tmp.resolve("b/ground_truth")).doesNotExist();
        assertThat(twoProjects.statusProperty().get()).doesNotContain("Could not save");
    }

    @Test
    void anImageThatCannotBeReadShowsNoneOfThePreviousImagesLabel() throws IOException {
        vm.select(0); // crack/000.png, a defect
        assertThat(vm.labelProperty().get()).isEqualTo(Label.DEFECT);
        java.nio.file.Files.writeString(project.resolve("inspect/part-9.png"), "not a picture");
        vm.select(2);
        assertThat(vm.labelProperty().get()).isEqualTo(Label.UNLABELLED);
        assertThat(vm.statusProperty().get()).contains("part-9.png");
    }

    @Test
    void importedGroundTruthShowsAsAnnotations() {
        assertThat(vm.entries()).extracting(AnnotationViewModel.Entry::label)
                .containsExactly(Label.DEFECT, Label.OK, Label.UNLABELLED);
        assertThat(vm.entries().get(0).name()).isEqualTo("crack/000.png");
        vm.select(0);
        assertThat(vm.mask().area()).isEqualTo(25);
        assertThat(vm.defectTypeProperty().get()).isEqualTo("crack");
        assertThat(vm.defectTypes()).contains("crack");
    }

    @Test
    void aMaskPaintedOnAShrunkCameraFrameIsSavedAtTheFramesOwnSize() throws IOException {
        // 5000 x 200 px: shown at most 4096 px a side, measured against masks of its full size.
        Path frame = project.resolve("inspect/scratch/line-1.png");
        ImageWriter.writePng(new BufferedImage(5000, 200, BufferedImage.TYPE_BYTE_GRAY), frame);
        boolean[] truth = new boolean[5000 * 200];
        truth[100 * 5000 + 4900] = true; // ground truth near the far end, at full resolution
        for (int y = 0; y < 200; y++) {
            truth[y * 5000 + 2501] = true; // a 1 px scratch, finer than the picture shown
        }
        MaskIo.write(Mask.of(5000, 200, truth), project.resolve("ground_truth/scratch/line-1_mask.png"));
        vm.show(project, List.of(frame));
        vm.select(0);
        assertThat(vm.mask().width()).isEqualTo(AnnotationViewModel.MAX_SIDE);
        vm.brushRadiusProperty().set(3);
        vm.press(100, 50);
        vm.drag(200, 50);
        vm.release();
        assertThat(vm.flush()).isTrue();
        Mask saved = MaskIo.read(project.resolve("ground_truth/scratch/line-1_mask.png"));
        assertThat(saved.width()).isEqualTo(5000);
        assertThat(saved.height()).isEqualTo(200);
        assertThat(saved.area()).isGreaterThan(vm.mask().area());
        assertThat(saved.get(4900, 100)).as("ground truth away from the edit, to the pixel").isTrue();
        for (int y = 0; y < 200; y++) {
            assertThat(saved.get(2501, y)).as("the 1 px scratch at row %d", y).isTrue();
            assertThat(saved.get(2500, y) || saved.get(2502, y)).isFalse();
        }
        var reread = AnnotationStore.forProject(project).load(frame);
        assertThat(reread.mask().width()).isEqualTo(5000);
    }

    @Test
    void paintUndoRedoAndEveryChangeIsOnDiskAtOnce() throws IOException {
        vm.select(2);
        assertThat(vm.labelProperty().get()).isEqualTo(Label.UNLABELLED);
        assertThat(vm.chooseDefectType("scratch")).isTrue();
        vm.brushRadiusProperty().set(3);
        vm.press(10, 10);
        vm.drag(30, 10);
        vm.release();
        int painted = vm.mask().area();
        assertThat(painted).isGreaterThan(60);
        assertThat(vm.labelProperty().get()).isEqualTo(Label.DEFECT);
        assertThat(vm.entries().get(2).label()).isEqualTo(Label.DEFECT);
        Path mask = project.resolve("ground_truth/scratch/part-9_mask.png");
        assertThat(MaskIo.read(mask).area()).isEqualTo(painted);

        vm.undo();
        assertThat(vm.mask().area()).isZero();
        assertThat(vm.labelProperty().get()).isEqualTo(Label.UNLABELLED);
        assertThat(mask).doesNotExist();
        assertThat(vm.canRedoProperty().get()).isTrue();
        vm.redo();
        assertThat(MaskIo.read(mask).area()).isEqualTo(painted);

        // Undo history survives moving to another image and back.
        vm.next();
        vm.previous();
        vm.previous();
        vm.select(2);
        assertThat(vm.canUndoProperty().get()).isTrue();

        AnnotationStore reopened = AnnotationStore.forProject(project);
        ImageAnnotation saved = reopened.load(images.get(2));
        assertThat(saved.label()).isEqualTo(Label.DEFECT);
        assertThat(saved.defectType()).isEqualTo("scratch");
        assertThat(saved.mask().area()).isEqualTo(painted);
    }

    @Test
    void keysLabelImagesOkAndDefect() throws IOException {
        vm.select(1);
        vm.labelDefect();
        assertThat(vm.labelProperty().get()).isEqualTo(Label.DEFECT);
        vm.next();
        vm.labelOk();
        vm.select(0);
        vm.labelOk();
        assertThat(project.resolve("ground_truth/crack/000_mask.png")).as("OK sets the MVTec mask aside").exists();
        AnnotationStore reopened = AnnotationStore.forProject(project);
        assertThat(reopened.load(images.get(1)).label()).isEqualTo(Label.DEFECT);
        assertThat(reopened.load(images.get(2)).label()).isEqualTo(Label.OK);
        assertThat(reopened.load(images.get(0))).isEqualTo(ImageAnnotation.OK);
        // A mistaken OK undone by marking the image defective again: its ground truth is back.
        vm.select(0);
        vm.labelDefect();
        assertThat(vm.flush()).isTrue();
        assertThat(AnnotationStore.forProject(project).load(images.get(0)).mask()).isNotNull();
    }

    @Test
    void polygonAndPrediction() {
        vm.select(2);
        assertThat(vm.predictionReplacesAMask()).as("no mask yet: nothing to ask").isFalse();
        vm.toolProperty().set(AnnotationViewModel.Tool.POLYGON);
        vm.press(0, 0);
        vm.press(20, 0);
        vm.press(20, 10);
        vm.press(0, 10);
        assertThat(vm.polygon()).hasSize(4);
        vm.closePolygon(false);
        assertThat(vm.polygon()).isEmpty();
        assertThat(vm.mask().area()).isEqualTo(200);
        assertThat(vm.predictionReplacesAMask()).as("the view asks before replacing a drawn mask").isTrue();

        vm.startFromPrediction();
        // 4 x 3 map over a 40 x 30 image: the top-left cell is the top-left 10 x 10 pixels.
        assertThat(vm.mask().area()).isEqualTo(100);
        assertThat(vm.mask().get(9, 9)).isTrue();
        vm.undo();
        assertThat(vm.mask().area()).isEqualTo(200);
        assertThat(vm.canUndoProperty().get()).isTrue();

        vm.show(project.resolve("another-project"), List.of());
        assertThat(vm.canUndoProperty().get()).as("the edits to undo were the other project's").isFalse();
    }

    @Test
    void aLabelTypedWhileTheNextImageLoadsGoesToThatImage() throws IOException {
        // background work that runs only when the test says so, like a slow disk
        java.util.ArrayDeque<Runnable> slow = new java.util.ArrayDeque<>();
        AnnotationViewModel review = new AnnotationViewModel(BackgroundWork.on(slow::add, Runnable::run),
                Runnable::run, AnnotationViewModel.defaultLoader(), (f, i) -> null);
        review.show(project, images);
        runAll(slow);
        assertThat(review.currentFile()).isEqualTo(images.get(0));
        review.next();
        review.labelDefect();
        assertThat(review.currentFile()).as("still loading").isNull();
        runAll(slow);
        assertThat(review.currentFile()).isEqualTo(images.get(1));
        assertThat(review.labelProperty().get()).isEqualTo(Label.DEFECT);
        AnnotationStore store = AnnotationStore.forProject(project);
        assertThat(store.load(images.get(1)).label()).isEqualTo(Label.DEFECT);
        assertThat(store.load(images.get(0)).label()).as("the previous image is untouched").isEqualTo(Label.DEFECT);
        assertThat(store.load(images.get(0)).mask().area()).isEqualTo(25);
    }

    @Test
    void badDefectTypeNamesAreRefusedWithAReason() {
        vm.select(2);
        assertThat(vm.chooseDefectType("../x")).isFalse();
        assertThat(vm.statusProperty().get()).contains("letters");
        assertThat(vm.chooseDefectType("good")).isFalse();
        // a folder Windows could not hold
        assertThat(vm.chooseDefectType("CON")).isFalse();
        assertThat(vm.statusProperty().get()).contains("device name on Windows");
        assertThat(vm.chooseDefectType("contamination")).isTrue();
        assertThat(vm.statusProperty().get()).as("the refusal was of the other name").isEmpty();
    }

    @Test
    void aFailingPredictionIsReportedNotThrown() {
        AnnotationViewModel failing = viewModel((f, i) -> {
            throw new IllegalStateException("no trained model");
        });
        failing.show(project, images);
        failing.select(2);
        failing.startFromPrediction();
        assertThat(failing.statusProperty().get()).contains("no trained model");
        assertThat(failing.busyProperty().get()).isFalse();
    }

    private static void runAll(java.util.Queue<Runnable> queue) {
        while (!queue.isEmpty()) {
            queue.poll().run();
        }
    }
}
