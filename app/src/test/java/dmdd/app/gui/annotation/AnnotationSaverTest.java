package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save the disk refuses keeps the person's paint and is tried again until it is on disk. */
class AnnotationSaverTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedSaveIsKeptTriedAgainAndFlushSaysSoUntilTheDiskTakesIt() throws Exception {
        Path image = dir.resolve("inspect/crack/000.png");
        ImageWriter.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), image);
        // a file where the masks' folder must go: what a full, read-only or locked disk does to a save
        Path blocker = Files.writeString(Files.createDirectories(dir.resolve("ground_truth")).resolve("crack"), "x");
        AnnotationStore store = AnnotationStore.open(dir.resolve("inspect"), dir.resolve("ground_truth"),
                dir.resolve("annotations.json"));
        List<Throwable> errors = new ArrayList<>();
        AnnotationSaver saver = new AnnotationSaver(store, Runnable::run, errors::add);
        boolean[] painted = new boolean[64];
        painted[9] = true;
        Mask mask = Mask.of(8, 8, painted);

        saver.save(image, ImageAnnotation.defect("crack", mask), UnaryOperator.identity());
        assertThat(errors).hasSize(1);
        assertThat(saver.unsavedImages()).containsExactly(image);
        assertThat(saver.flush(5)).as("the paint is not on disk").isFalse();

        Files.delete(blocker);
        assertThat(saver.flush(5)).isTrue();
        assertThat(saver.unsavedImages()).isEmpty();
        assertThat(MaskIo.read(dir.resolve("ground_truth/crack/000_mask.png"))).isEqualTo(mask);
        AnnotationStore reopened = AnnotationStore.open(dir.resolve("inspect"), dir.resolve("ground_truth"),
                dir.resolve("annotations.json"));
        assertThat(reopened.load(image).mask()).isEqualTo(mask);
    }
}
