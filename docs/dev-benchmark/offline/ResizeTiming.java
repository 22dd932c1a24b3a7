package dmdd.model.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Times libtorch's bilinear resize (as DJL runs it: anti-aliased) against {@link BilinearResize}'s two matrix products on
 * the networks' up-sampling shapes at 256 px, channels last, batches of 8 and 1: forward only ({@code fwd}, with the
 * largest difference between the two) or forward and backward ({@code bwd}); best of six rounds of 30, the two
 * alternating. Each timing includes making the random input, common to both. Arguments: {@code fwd|bwd [SIDE]}; at
 * sides over 256 px the inputs larger than 64 samples go to libtorch's kernel in both columns.
 */
public class ResizeTiming {
    static NDArray torch(NDArray x, long h, long w) {
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false);
    }
    public static void main(String[] a) throws Exception {
        // the five up-samplings of a pass at 256 px (N, C, h, w, out side); a second argument, the input side,
        // scales them (128: the default input)
        long[][] shapes = {{8,1,64,64,256},{8,32,32,32,64},{8,64,16,16,64},{8,64,32,32,64},{8,96,16,16,32},
                           {1,1,64,64,256},{1,32,32,32,64},{1,64,16,16,64},{1,64,32,32,64},{1,96,16,16,32}};
        int side = a.length > 1 ? Integer.parseInt(a[1]) : 256;
        for (long[] sh : shapes) {
            for (int d = 2; d < 5; d++) {
                sh[d] = sh[d] * side / 256;
            }
        }
        boolean backward = a.length > 0 && a[0].equals("bwd");
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            for (long[] sh : shapes) {
                double[] best = {1e9, 1e9};
                double maxDiff = 0;
                for (int round = 0; round < 6; round++) {
                    for (int k = 0; k < 2; k++) {
                        int reps = 30;
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            try (NDManager s = m.newSubManager()) {
                                NDArray x = ChannelsLast.of(s.randomUniform(0, 1, new Shape(sh[0], sh[1], sh[2], sh[3])));
                                if (backward) {
                                    x.setRequiresGradient(true);
                                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                        NDArray y = k == 0 ? torch(x, sh[4], sh[4]) : BilinearResize.upsample(x, sh[4], sh[4]);
                                        gc.backward(y.mul(y));
                                    }
                                    x.getGradient().sum().getFloat();
                                } else {
                                    NDArray y = k == 0 ? torch(x, sh[4], sh[4]) : BilinearResize.upsample(x, sh[4], sh[4]);
                                    if (round == 0 && i == 0 && k == 1) {
                                        maxDiff = torch(x, sh[4], sh[4]).sub(y).abs().max().getFloat();
                                    }
                                    y.sum().getFloat();
                                }
                            }
                        }
                        best[k] = Math.min(best[k], (System.nanoTime() - t0) / 1e6 / reps);
                    }
                }
                System.out.printf("%s -> %d: torch %.3f ms, products %.3f ms%s%n",
                        java.util.Arrays.toString(java.util.Arrays.copyOf(sh, 4)), sh[4], best[0], best[1],
                        backward ? "" : String.format(", max diff %.2g", maxDiff));
            }
        }
    }
}
