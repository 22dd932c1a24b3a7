package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Checks convolutions exactly as oneDNN ran them (the shapes of an {@code ONEDNN_VERBOSE=1} log) against libtorch's
 * float64 convolution, forward and backward, each in this JVM in turn: a convolution that corrupts memory ends the
 * JVM (run with {@code MALLOC_CHECK_=3}), the last "checking" line names it. Arguments: descriptors such as
 * {@code mb2_ic8oc16_ih16oh16kh3sh1dh0ph1_iw16ow16kw3sw1dw0pw1} or {@code g96mb2_ic96oc96_...}; prints one line per
 * convolution with its relative errors (of the float64 result's largest magnitude) and "WRONG" above 1e-3. With
 * {@code --padded} first, the float32 side runs through {@link ChannelPaddedConvolution}, the networks' path.
 */
public final class ConvCheck {
    private ConvCheck() {
    }

    public static void main(String[] args) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                "(?:g(\\d+))?mb(\\d+)_ic(\\d+)oc(\\d+)_ih(\\d+)oh\\d+kh(\\d+)sh(\\d+)dh(\\d+)ph(\\d+)_iw(\\d+).*");
        int wrong = 0;
        boolean padded = args.length > 0 && args[0].equals("--padded");
        for (String d : padded ? java.util.Arrays.copyOfRange(args, 1, args.length) : args) {
            java.util.regex.Matcher m = p.matcher(d);
            if (!m.matches()) {
                throw new IllegalArgumentException(d);
            }
            int g = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            int mb = Integer.parseInt(m.group(2));
            int ic = Integer.parseInt(m.group(3));
            int oc = Integer.parseInt(m.group(4));
            int ih = Integer.parseInt(m.group(5));
            int k = Integer.parseInt(m.group(6));
            int s = Integer.parseInt(m.group(7));
            int dil = Integer.parseInt(m.group(8)) + 1;
            int pad = Integer.parseInt(m.group(9));
            int iw = Integer.parseInt(m.group(10));
            System.out.println("checking " + d);
            System.out.flush();
            try (NDManager nd = DjlRuntime.engine().newBaseManager()) {
                NDArray x = nd.randomNormal(new Shape(mb, ic, ih, iw));
                NDArray w = nd.randomNormal(new Shape(oc, ic / g, k, k)).mul(0.1f);
                NDArray[] ref = run(x, w, s, pad, dil, g, true, false);
                NDArray[] got = run(x, w, s, pad, dil, g, false, padded);
                double[] err = new double[3];
                for (int i = 0; i < 3; i++) {
                    NDArray r = ref[i].toType(DataType.FLOAT64, false);
                    double scale = r.abs().max().getDouble();
                    err[i] = got[i].toType(DataType.FLOAT64, false).sub(r).abs().max().getDouble() / scale;
                }
                boolean bad = err[0] > 1e-3 || err[1] > 1e-3 || err[2] > 1e-3 || Double.isNaN(err[0] + err[1] + err[2]);
                wrong += bad ? 1 : 0;
                System.out.printf("%s output %.2e input-grad %.2e weight-grad %.2e%s%n", d, err[0], err[1], err[2],
                        bad ? " WRONG" : "");
            }
        }
        System.out.println(wrong == 0 ? "all right" : wrong + " wrong");
    }

    /** Output, input gradient and weight gradient of the mean squared output. */
    private static NDArray[] run(NDArray x0, NDArray w0, int s, int pad, int dil, int g, boolean float64,
            boolean padded) {
        DataType type = float64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray x = float64 ? x0.toType(type, true) : ChannelsLast.of(x0.duplicate());
        NDArray w = w0.toType(type, true);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = x.getManager().getEngine().newGradientCollector()) {
            y = padded
                    ? ChannelPaddedConvolution.convolve(x, w, null, new Shape(s, s), new Shape(pad, pad),
                            new Shape(dil, dil), g)
                    : Conv2d.conv2d(x, w, null, new Shape(s, s), new Shape(pad, pad), new Shape(dil, dil), g)
                            .singletonOrThrow();
            gc.backward(y.square().mean());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient(), w.getGradient()};
    }
}
