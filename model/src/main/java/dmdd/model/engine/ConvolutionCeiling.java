package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * What the engine achieves on this machine for the work that dominates the networks: one large 3x3
 * convolution (64 to 64 channels, batch 8, 64 x 64), in GFLOP/s. A network's achieved rate is read
 * against it: far below means time goes to small operations, copies and calls, not to arithmetic.
 */
public final class ConvolutionCeiling {
    private static final int BATCH = 8;
    private static final int CHANNELS = 64;
    private static final int SIDE = 64;

    private ConvolutionCeiling() {
    }

    /**
     * @param manager the manager (and device) to measure on
     * @param seconds how long to measure, after one warm-up call
     * @return achieved GFLOP/s
     */
    public static double measure(NDManager manager, double seconds) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(BATCH, CHANNELS, SIDE, SIDE));
            NDArray w = m.randomNormal(new Shape(CHANNELS, CHANNELS, 3, 3));
            Shape one = new Shape(1, 1);
            double flops = 2.0 * CHANNELS * CHANNELS * 9 * SIDE * SIDE * BATCH;
            Conv2d.conv2d(x, w, null, one, one, one).close(); // warm-up: first-call setup is not arithmetic
            long t0 = System.nanoTime();
            int calls = 0;
            do {
                NDArray y = Conv2d.conv2d(x, w, null, one, one, one).singletonOrThrow();
                y.toFloatArray(); // waits for a device to finish, as the networks' results do
                y.close();
                calls++;
            } while (System.nanoTime() - t0 < seconds * 1e9);
            return flops * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
    }
}
