package dmdd.app.gui.images;

import dmdd.app.gui.FxToolkit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.ScrollBar;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.controlsfx.control.GridView;

/**
 * Benchmark (not part of the test suite): a thumbnail grid of 5,000 images scrolled from top to
 * bottom in 200 steps; prints the longest FX-thread stall, how many thumbnails were decoded and how
 * many stayed in memory. Run: {@code mvn -o -pl app -am test -Dtest=ThumbnailGridBench
 * -Dsurefire.failIfNoSpecifiedTests=false} (the class name does not match surefire's test pattern,
 * so it runs only when named).
 */
public class ThumbnailGridBench {

    /**
     * Runs the benchmark.
     *
     * @throws Exception when the toolkit or the files fail
     */
    @org.junit.jupiter.api.Test
    public void scrollFiveThousandThumbnails() throws Exception {
        FxToolkit.start();
        Path folder = Files.createTempDirectory("dmdd-grid-bench");
        List<Path> files = new ArrayList<>();
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 5000; i++) {
            image.setRGB(i % 320, i % 240, 0xff8800);
            Path file = folder.resolve(String.format("%05d.png", i));
            if (i < 50) {
                ImageIO.write(image, "png", file.toFile());
            } else {
                // Same bytes, different names: decoding cost is what matters, not unique pixels.
                Files.copy(files.get(i % 50), file);
            }
            files.add(file);
        }
        ThumbnailCache cache = new ThumbnailCache(112, 600);
        GridView<Path> grid = FxToolkit.onFx(() -> {
            GridView<Path> g = new GridView<>(FXCollections.observableArrayList(files));
            g.setCellWidth(120);
            g.setCellHeight(138);
            g.setCellFactory(v -> new ThumbnailCell<>(cache, 112, p -> p, p -> p.getFileName().toString()));
            Stage stage = new Stage();
            stage.setScene(new Scene(g, 1000, 700));
            stage.show();
            return g;
        });
        Thread.sleep(500);
        long worst = 0;
        long started = System.nanoTime();
        for (int step = 0; step <= 200; step++) {
            double value = step / 200.0;
            long posted = System.nanoTime();
            CountDownLatch done = new CountDownLatch(1);
            Platform.runLater(() -> {
                ScrollBar bar = (ScrollBar) grid.lookupAll(".scroll-bar").stream()
                        .filter(n -> ((ScrollBar) n).getOrientation() == javafx.geometry.Orientation.VERTICAL)
                        .findFirst().orElseThrow();
                bar.setValue(bar.getMin() + value * (bar.getMax() - bar.getMin()));
                done.countDown();
            });
            done.await(30, TimeUnit.SECONDS);
            // A second post measures how long the layout pass of that scroll kept the thread busy.
            CountDownLatch pulse = new CountDownLatch(1);
            Platform.runLater(pulse::countDown);
            pulse.await(30, TimeUnit.SECONDS);
            worst = Math.max(worst, (System.nanoTime() - posted) / 1_000_000);
            Thread.sleep(16);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(2000);
        int inMemory = FxToolkit.onFx(cache::size);
        System.out.printf("ThumbnailGridBench: 5000 images, 201 scroll steps in %.1f s, longest FX stall %d ms, "
                + "%d thumbnails decoded, %d in memory (cap 600)%n", seconds, worst, cache.decodedCount(), inMemory);
    }
}
