package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.GradientCollector;

/**
 * A 1x1 convolution's training step (forward, backward to input and weight) on channels-last arrays as libtorch's
 * convolution against the same function as one matrix product over the N*H*W rows. args: ROUNDS.
 */
public class PointwiseTiming {
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        int[][] shapes = {{24, 144, 64}, {144, 24, 64}, {32, 192, 32}, {192, 32, 32}, {96, 576, 16}, {576, 96, 16},
            {16, 96, 128}};
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            for (int[] s : shapes) {
                int cin = s[0], cout = s[1], hw = s[2], n = 8;
                NDArray x = ChannelsLast.of(m.randomNormal(new Shape(n, cin, hw, hw)));
                NDArray w = m.randomNormal(new Shape(cout, cin, 1, 1)).mul(0.1);
                NDArray b = m.zeros(new Shape(cout));
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                double[] t = new double[2];
                double maxDiff = 0;
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < 10; i++) {
                            try (NDManager sm = m.newSubManager(); GradientCollector gc = ai.djl.engine.Engine
                                    .getEngine("PyTorch").newGradientCollector()) {
                                NDArray y;
                                if (k == 0) {
                                    y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                                } else {
                                    NDArray rows = x.transpose(0, 2, 3, 1).reshape(-1, cin);
                                    y = rows.matMul(w.reshape(cout, cin).transpose()).add(b)
                                            .reshape(n, hw, hw, cout).transpose(0, 3, 1, 2);
                                }
                                y.tempAttach(sm);
                                NDArray loss = y.mul(y).mean();
                                gc.backward(loss);
                            }
                        }
                        t[k] += (System.nanoTime() - t0) / 1e6 / 10;
                    }
                }
                try (NDManager sm = m.newSubManager()) {
                    NDArray y1 = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                    NDArray y2 = x.transpose(0, 2, 3, 1).reshape(-1, cin).matMul(w.reshape(cout, cin).transpose())
                            .add(b).reshape(n, hw, hw, cout).transpose(0, 3, 1, 2);
                    maxDiff = y1.sub(y2).abs().max().getFloat();
                    y1.tempAttach(sm);
                    y2.tempAttach(sm);
                }
                System.out.printf("%4d -> %4d at %3d x %3d, batch 8: conv %.2f ms, matmul %.2f ms per step (%.0f %%), max diff %.2g%n",
                        cin, cout, hw, hw, t[0] / rounds, t[1] / rounds, 100 * t[1] / t[0], maxDiff);
            }
        }
    }
}
