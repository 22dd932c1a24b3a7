package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * One convolution through the product's path, forward and backward, in its own JVM, so that a convolution oneDNN
 * cannot plan ends only this process: {@code java -cp "$CP:OUT" dmdd.model.engine.ConvGradProbe IN OUT SIDE KERNEL
 * STRIDE [BATCH]} prints "ok" and the gradients' shapes, or the JVM's crash report says where oneDNN stopped.
 */
public class ConvGradProbe {
    public static void main(String[] a) {
        int in = Integer.parseInt(a[0]), out = Integer.parseInt(a[1]), hw = Integer.parseInt(a[2]);
        int k = Integer.parseInt(a[3]), s = Integer.parseInt(a[4]);
        int batch = a.length > 5 ? Integer.parseInt(a[5]) : 2;
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            NDArray x = ChannelsLast.of(m.randomNormal(new Shape(batch, in, hw, hw)));
            NDArray w = m.randomNormal(new Shape(out, in, k, k));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (GradientCollector g = DjlRuntime.engine().newGradientCollector()) {
                NDArray y = ChannelPaddedConvolution.convolve(x, w, null, new Shape(s, s), new Shape(k / 2, k / 2),
                        new Shape(1, 1), 1);
                g.backward(y.square().sum());
            }
            System.out.println("ok " + x.getGradient().getShape() + " " + w.getGradient().getShape());
        }
    }
}
