package dmdd.app.gui.images;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.FxToolkit;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.image.Image;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails decode off the FX thread, each once, and memory stays bounded however many images. */
class ThumbnailCacheTest {

    @BeforeAll
    static void toolkit() {
        FxToolkit.start();
    }

    @Test
    void manyImagesKeepTheCacheBoundedAndEachRequestIsAnswered(@TempDir Path folder) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i % 40, i % 30, 0xffffff);
            Path file = folder.resolve(String.format("%04d.png", i));
            ImageIO.write(image, "png", file.toFile());
            files.add(file);
        }
        ThumbnailCache cache = new ThumbnailCache(16, 50);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger widest = new AtomicInteger();
        List<Image> immediate = FxToolkit.onFx(() -> {
            List<Image> direct = new ArrayList<>();
            for (Path file : files) {
                // Two cells asking for the same file: one decode, two answers.
                cache.get(file, image -> {
                    answered.incrementAndGet();
                    widest.accumulateAndGet((int) image.getWidth(), Math::max);
                });
                Image again = cache.get(file, image -> answered.incrementAndGet());
                if (again != null) {
                    direct.add(again);
                }
            }
            return direct;
        });
        assertThat(immediate).isEmpty();
        FxToolkit.waitUntil(60, () -> answered.get() == 600);
        assertThat(cache.decodedCount()).isEqualTo(300);
        assertThat(FxToolkit.onFx(cache::size)).isLessThanOrEqualTo(50);
        assertThat(widest.get()).isBetween(1, 16);
    }
}
