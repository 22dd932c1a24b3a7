package dmdd.datasets.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process while it saves annotations, again and again, and checks after each kill that every
 * annotation file is the old or the new complete version: masks are readable PNGs equal to one of the two
 * versions written, and the labels file parses and agrees with one of them.
 */
class KillMidSaveTest {
    private static final int ROUNDS = 8;

    @TempDir
    Path dir;

    @Test
    void killingTheProcessMidSaveNeverLeavesAHalfWrittenFile() throws Exception {
        AnnotationStoreTest.image(dir.resolve("inspect/crack/000.png"));
        AnnotationStoreTest.image(dir.resolve("inspect/001.png"));
        Mask a = SaveLoop.version(1);
        Mask b = SaveLoop.version(2);
        Random rng = new Random(42);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int killedWhileWriting = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SaveLoop.class.getName(), dir.toString()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line).as("child output").isEqualTo("ready");
                Thread.sleep(rng.nextInt(400));
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (var s = Files.walk(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-"))) {
                    killedWhileWriting++;
                }
            }

            Mask crack = MaskIo.read(dir.resolve("ground_truth/crack/000_mask.png"));
            assertThat(crack).as("round %d: crack mask is one complete version", round).isIn(a, b);
            AnnotationStore store = AnnotationStore.open(dir.resolve("inspect"), dir.resolve("ground_truth"),
                    dir.resolve(AnnotationStore.LABELS_FILE));
            ImageAnnotation crackAnnotation = store.load(dir.resolve("inspect/crack/000.png"));
            assertThat(crackAnnotation.mask()).isIn(a, b);
            ImageAnnotation other = store.load(dir.resolve("inspect/001.png"));
            assertThat(other.label()).isIn(Label.OK, Label.DEFECT);
            if (other.label() == Label.DEFECT) {
                // The mask is written before the labels file, so a defect label always finds its mask.
                assertThat(other.mask()).as("round %d", round).isEqualTo(a);
            }
            Path scratch = dir.resolve("ground_truth/scratch/001_mask.png");
            if (Files.exists(scratch)) {
                assertThat(MaskIo.read(scratch)).isEqualTo(a);
            }
        }
        // Not an assertion on timing; it says how often the kill landed inside a write.
        System.out.println("KillMidSaveTest: " + killedWhileWriting + " of " + ROUNDS
                + " kills left a temporary file (killed mid-write)");
    }
}
