package dmdd.datasets.annotation;

import dmdd.datasets.image.Mask;
import java.nio.file.Path;

/**
 * Child process of {@link KillMidSaveTest}: saves two images' annotations in a tight loop, alternating
 * between two known versions, until it is killed. Prints {@code ready} after the first round.
 */
public final class SaveLoop {
    private SaveLoop() {
    }

    /** Size of the test masks: large enough that a PNG write takes a few milliseconds. */
    static final int SIZE = 384;

    static Mask version(int v) {
        boolean[] p = new boolean[SIZE * SIZE];
        java.util.Random rng = new java.util.Random(v);
        for (int i = 0; i < p.length; i++) {
            // Noise, so the PNG does not compress to nothing and the write takes a while.
            p[i] = rng.nextInt(3) == 0;
        }
        return Mask.of(SIZE, SIZE, p);
    }

    /**
     * @param args the folder holding {@code inspect/}
     * @throws Exception when a save fails
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        AnnotationStore store = AnnotationStore.open(root.resolve("inspect"), root.resolve("ground_truth"),
                root.resolve(AnnotationStore.LABELS_FILE));
        Mask a = version(1);
        Mask b = version(2);
        for (long i = 0; ; i++) {
            boolean odd = (i & 1) == 1;
            store.save(root.resolve("inspect/crack/000.png"), ImageAnnotation.defect("crack", odd ? b : a));
            store.save(root.resolve("inspect/001.png"), odd ? ImageAnnotation.OK : ImageAnnotation.defect("scratch", a));
            if (i == 0) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
