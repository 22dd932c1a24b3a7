package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.ChannelsLast;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.teacher.Backbone;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The networks run channels last for speed ({@link ChannelsLast}); that must not change what they compute. DJL
 * knows nothing of memory layouts, so a result read in the wrong order, or a layer that mixes pixels and channels
 * in one of the layouts, would show here as maps and gradients that differ between the two.
 */
class ChannelsLastTest {

    @Test
    void aChannelsLastCopyHasTheSameShapeAndValues() {
        DjlRuntime.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            NDArray cl = ChannelsLast.of(x);
            assertThat(cl.getShape()).isEqualTo(new Shape(2, 3, 4, 5));
            assertThat(cl.toFloatArray()).containsExactly(x.toFloatArray());
            // element (n=1, c=2, h=3, w=4) is still the last value, whatever the storage order
            assertThat(cl.get("1, 2, 3, 4").getFloat()).isEqualTo(119f);
            assertThat(cl.sum(new int[] {2, 3}).toFloatArray()).containsExactly(x.sum(new int[] {2, 3}).toFloatArray());
        }
    }

    @Test
    void theTeacherStudentAndSegmenterComputeTheSameInBothLayouts() throws IOException {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("imageSize", 64);
        try (NDManager weights = NDManager.newBaseManager()) {
            Backbone teacher = RealTeacher.mobileNetV2(weights);
            DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), weights);
            float[] input = new float[2 * 3 * 64 * 64];
            java.util.Random rng = new java.util.Random(3);
            for (int i = 0; i < input.length; i++) {
                input[i] = rng.nextFloat();
            }
            List<float[]> rows = pass(weights, teacher, nets, input, false);
            List<float[]> channelsLast = pass(weights, teacher, nets, input, true);
            assertThat(channelsLast).hasSameSizeAs(rows);
            String[] names = {"teacher level 1", "teacher level 2", "teacher level 3", "normality 1", "normality 2",
                "normality 3", "abnormality 1", "abnormality 2", "abnormality 3", "segmentation logits",
                "gradient of the image"};
            // float rounding in another summation order: about 1e-6 for every map; a result read in the wrong order
            // differs by its whole range
            int gradient = rows.size() - 1;
            for (int i = 0; i < gradient; i++) {
                assertThat(maxRelativeDifference(rows.get(i), channelsLast.get(i))).as(names[i]).isLessThan(1e-4);
            }
            // the image's gradient passes back through every feature's L2 normalisation (a division by its length)
            // and every ReLU's kink: with the maps equal to 1e-6 it differs between the layouts by 0.3 % of its length
            // (0.9 % of its largest value; 0.3 % too before the segmentation network reduced per level), so it is
            // compared as a whole
            assertThat(relativeL2(rows.get(gradient), channelsLast.get(gradient))).as(names[gradient])
                    .isLessThan(1e-2);
        }
    }

    /**
     * The three networks forward, and the input's gradient of the segmentation logits' mean, in one layout. Batch norms
     * use their running statistics: with the statistics of a batch of two the comparison itself is ill-conditioned
     * (an input changed by one part in a million moves that gradient by about 1 % in either layout).
     */
    private static List<float[]> pass(NDManager weights, Backbone teacher, DmddNetworks nets, float[] input,
            boolean channelsLast) {
        String before = System.getProperty(ChannelsLast.PROPERTY);
        System.setProperty(ChannelsLast.PROPERTY, String.valueOf(channelsLast));
        try (NDManager sm = weights.newSubManager()) {
            ParameterStore ps = new ParameterStore(sm, false);
            NDArray x = teacher.normalize(sm.create(input, new Shape(2, 3, 64, 64)));
            x.setRequiresGradient(true);
            List<float[]> out = new ArrayList<>();
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDList t = new NDList(teacher.forward(ps, new NDList(x), false).subList(0, 3));
                NDList s = nets.student().forward(ps, new NDList(x), false);
                NDArray logits = nets.segmenter().forward(ps,
                        Discrepancy.segmenterInputs(Discrepancy.unitProducts(t, s), true), false).singletonOrThrow();
                t.forEach(a -> out.add(a.toFloatArray()));
                s.forEach(a -> out.add(a.toFloatArray()));
                out.add(logits.toFloatArray());
                gc.backward(logits.mean());
            }
            out.add(x.getGradient().toFloatArray());
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(ChannelsLast.PROPERTY);
            } else {
                System.setProperty(ChannelsLast.PROPERTY, before);
            }
        }
    }

    /** @return the length of the difference relative to the length of {@code a} */
    private static double relativeL2(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double difference = 0;
        double length = 1e-30;
        for (int i = 0; i < a.length; i++) {
            difference += (a[i] - b[i]) * (double) (a[i] - b[i]);
            length += a[i] * (double) a[i];
        }
        return Math.sqrt(difference / length);
    }

    /** @return the largest difference relative to the larger of the two arrays' largest magnitude */
    private static double maxRelativeDifference(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double scale = 1e-12;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / scale;
    }
}
