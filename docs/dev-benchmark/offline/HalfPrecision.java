import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * args: none. A 3x3, 64-channel convolution on a 2 x 64 x 32 x 32 batch, ten times per round, in float32 and in
 * float16 (GFLOP/s and the largest difference), then the cast to bfloat16, which ends the process in DJL 0.36
 * (its JNI has no bfloat16 type). The evidence behind README's "bfloat16" bullet in "Speed".
 */
public class HalfPrecision {
    public static void main(String[] a) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 64, 32, 32));
            NDArray w = m.randomNormal(new Shape(64, 64, 3, 3)).mul(0.05);
            NDArray b = m.zeros(new Shape(64));
            double flop = 2.0 * 2 * 32 * 32 * 64 * 64 * 9 * 10;
            for (int round = 0; round < 3; round++) {
                NDArray y = null;
                NDArray h = null;
                long t0 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    y = conv(x, w, b);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    h = conv(x.toType(DataType.FLOAT16, false), w.toType(DataType.FLOAT16, false),
                            b.toType(DataType.FLOAT16, false));
                }
                long t2 = System.nanoTime();
                System.out.printf("float32 %.1f GFLOP/s, float16 %.1f GFLOP/s, largest difference %.4f of %.2f%n",
                        flop / (t1 - t0), flop / (t2 - t1),
                        h.toType(DataType.FLOAT32, false).sub(y).abs().max().getFloat(), y.abs().max().getFloat());
            }
            System.out.println("casting to bfloat16 (DJL 0.36 ends the process here) ...");
            System.out.flush();
            System.out.println(x.toType(DataType.BFLOAT16, false).getDataType());
        }
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b) {
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
    }
}
