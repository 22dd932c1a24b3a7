package dmdd.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.PreparedImage;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.image.UnreadableImageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many images one inspection batch reads: a batch's count, fewer when the pictures are large. */
class ReadChunkTest {

    private static List<Integer> chunkSizes(List<Path> files, int batch, long budget,
            InspectionPipeline.Reader reader) {
        List<Integer> sizes = new ArrayList<>();
        int i = 0;
        while (i < files.size()) {
            InspectionPipeline.ReadChunk chunk = InspectionPipeline.ReadChunk.of(files, i, batch, budget, reader);
            assertThat(chunk.slots()).hasSameSizeAs(chunk.files());
            sizes.add(chunk.files().size());
            i = chunk.next();
        }
        return sizes;
    }

    private static List<Path> files(int n) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(Path.of("img" + i + ".png"));
        }
        return files;
    }

    private static InspectionPipeline.Reader sized(Map<String, Integer> sides, int otherwise) {
        return file -> {
            int side = sides.getOrDefault(file.toString(), otherwise);
            if (side == 0) {
                throw new UnreadableImageException(file, "corrupt");
            }
            RgbImage picture = RgbImage.of(side, side, new float[3 * side * side]);
            return new PreparedImage(file, picture, picture, side, side);
        };
    }

    @Test
    void smallPicturesFillTheBatch() {
        assertThat(chunkSizes(files(10), 8, 100, sized(Map.of(), 2))).containsExactly(8, 2);
    }

    @Test
    void largePicturesEndABatchOnceItsPixelsReachTheBudget() {
        // 36 pixels each against a budget of 100: the third image passes it and ends the batch.
        assertThat(chunkSizes(files(10), 8, 100, sized(Map.of(), 6))).containsExactly(3, 3, 3, 1);
        // A picture larger than the whole budget is inspected alone.
        assertThat(chunkSizes(files(4), 8, 100, sized(Map.of("img1.png", 20), 2))).containsExactly(2, 2);
    }

    @Test
    void unreadableFilesTakeASlotButNoPixels() {
        InspectionPipeline.ReadChunk chunk = InspectionPipeline.ReadChunk.of(files(5), 0, 8, 100,
                sized(Map.of("img2.png", 0), 6));
        assertThat(chunk.files()).hasSize(4);
        assertThat(chunk.prepared()).hasSize(3);
        assertThat(chunk.slots().get(2)).isInstanceOf(UnreadableImageException.class);
    }
}
