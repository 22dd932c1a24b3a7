package dmdd.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folded convolution and the activation after it run as one oneDNN primitive, for inference on the CPU.
 *
 * <p>Eager DJL runs a convolution and then its ReLU as two operations: the activation is one more pass over the
 * convolution's output, and a new array for it. oneDNN can apply the activation to each output while it is still
 * in registers (a "post-op"), and libtorch exposes that as {@code mkldnn::_convolution_pointwise}, the operation
 * its own compiler emits for a convolution followed by an activation on the CPU. DJL has no binding for it, but
 * it runs TorchScript: a tiny TorchScript module whose methods call that operation is written here, as text, into
 * an in-memory archive and loaded once per process. The convolution's weights, bias and geometry are handed to the
 * module once, as native values kept with the folded weights, so a call passes only its input.
 *
 * <p>It computes the same function: the activation applied to the same convolution, within float rounding
 * ({@code FusedConvolutionTest}: within 1e-5 of the output's range; {@link ConvolutionKernels} checks it against
 * float64 on each machine beside the plain path). It is used only for convolutions that need no channel padding
 * ({@link ChannelPaddedConvolution}: those keep their checked path), only for arrays on the CPU, never for training
 * forwards (the operation has no gradient), and never in a network whose weights or folded weights are not all
 * finite ({@link Fusion}: oneDNN's ReLU turns NaN into 0, and a broken
 * model must give NaN maps, so errors, never verdicts). Where the module cannot be loaded (a libtorch built without
 * oneDNN) the plain convolution and activation run; where a fused call fails on an input the plain path computes,
 * the plain path runs from then on in the whole process, and the log says so once.
 * {@code -Ddmdd.fusedConvolutions=false} runs them apart always, to compare.
 */
public final class FusedConvolution {
    private static final Logger LOG = LoggerFactory.getLogger(FusedConvolution.class);
    /** The system property that turns the fused path off ({@code false}). */
    public static final String PROPERTY = "dmdd.fusedConvolutions";
    /** Set when a fused call failed where the plain path did not: from then on every convolution runs plain. */
    private static volatile boolean broken;
    /** Names the native values of each fused step among its manager's resources. */
    private static final AtomicLong STEPS = new AtomicLong();

    /** The activation that follows a convolution. */
    public enum Activation {
        /** {@code max(x, 0)}. */
        RELU("conv_relu"),
        /** {@code min(max(x, 0), 6)}, MobileNetV2's. */
        RELU6("conv_relu6");

        private final String method;

        Activation(String method) {
            this.method = method;
        }
    }

    /**
     * TorchScript source of the module: each method one fused convolution. The scalars are typed as the operation
     * declares them ({@code Scalar?[]}); the folded convolutions always have a bias.
     */
    private static final String SOURCE = """
            class FusedConvolutions(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.FusedConvolutions,
                x: Tensor) -> Tensor:
                return x
              def conv_relu(self: __torch__.FusedConvolutions,
                x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], dilation: List[int],
                groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, dilation, groups, "relu",
                  annotate(List[Optional[number]], []), None)
              def conv_relu6(self: __torch__.FusedConvolutions,
                x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], dilation: List[int],
                groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, dilation, groups, "hardtanh",
                  annotate(List[Optional[number]], [0., 6.]), None)
            """;

    private FusedConvolution() {
    }

    /**
     * One folded convolution followed by an activation, fused where it can be (a network's folds go through a
     * {@link Fusion} instead, which decides for all of them).
     *
     * @param conv       the folded convolution (its weights live in {@code manager})
     * @param activation the activation after it
     * @param unfused    the activation as the network's own block computes it: what runs where fusing does not
     * @param manager    the manager of the folded weights: the native values kept for the calls are closed with it
     * @return {@code activation(conv(x))}
     */
    public static UnaryOperator<NDArray> of(FoldedConvolution.Folded conv, Activation activation,
            UnaryOperator<NDArray> unfused, NDManager manager) {
        return step(conv, activation, unfused, manager, null);
    }

    private static UnaryOperator<NDArray> step(FoldedConvolution.Folded conv, Activation activation,
            UnaryOperator<NDArray> unfused, NDManager manager, Fusion fusion) {
        UnaryOperator<NDArray> plain = x -> unfused.apply(conv.apply(x));
        Shape w = conv.weight().getShape();
        if (!active() || conv.bias() == null || !conv.weight().getDevice().equals(Device.cpu())
                || !(conv.weight() instanceof PtNDArray weight) || !(conv.bias() instanceof PtNDArray bias)
                || ChannelPaddedConvolution.paddedInput(w, conv.groups(), conv.stride()) != w.get(1)
                || ChannelPaddedConvolution.paddedOutput(w, conv.groups()) != w.get(0)) {
            return plain;
        }
        Step step = new Step(Module.INSTANCE, activation.method, new IValue[] {IValue.from(weight), IValue.from(bias),
            IValue.listFrom(conv.padding().getShape()), IValue.listFrom(conv.stride().getShape()),
            IValue.listFrom(conv.dilation().getShape()), IValue.from((long) conv.groups())}, plain, fusion);
        manager.attachInternal("fused-convolution-" + STEPS.incrementAndGet(), step);
        return step;
    }

    /**
     * The fusion of one folding of networks, with one decision for all its convolutions: they run fused when every
     * parameter of the networks is finite ({@link #mayFuse}) and every folded convolution too
     * ({@link FoldedConvolution.Folded#isFinite}: finite parameters can fold into NaN, a running variance below
     * {@code -eps}). One that is not turns the whole folding plain, since its NaN would otherwise be flushed by the
     * next fused ReLU instead of reaching the maps.
     *
     * @param networks the networks being folded (nulls are skipped)
     * @return their fusion; give it every folded convolution
     */
    public static Fusion fusion(Block... networks) {
        return new Fusion(mayFuse(networks));
    }

    /** The fusion of one folding of networks ({@link #fusion}). */
    public static final class Fusion {
        private final boolean fuse;
        private volatile boolean foldsFinite = true;
        private int fused;

        private Fusion(boolean fuse) {
            this.fuse = fuse;
        }

        /**
         * A folded convolution that runs alone: checked, so that a fold that is not finite turns the others plain.
         *
         * @param conv the folded convolution
         * @return {@code conv}
         */
        public UnaryOperator<NDArray> alone(FoldedConvolution.Folded conv) {
            check(conv);
            return conv::apply;
        }

        /**
         * A folded convolution followed by an activation, fused while this fusion holds (see {@link #of} for the
         * arguments).
         *
         * @param conv       the folded convolution
         * @param activation the activation after it
         * @param unfused    the activation as the network's own block computes it
         * @param manager    the manager of the folded weights
         * @return {@code activation(conv(x))}
         */
        public UnaryOperator<NDArray> of(FoldedConvolution.Folded conv, Activation activation,
                UnaryOperator<NDArray> unfused, NDManager manager) {
            check(conv);
            if (!fuse) {
                return x -> unfused.apply(conv.apply(x));
            }
            UnaryOperator<NDArray> step = step(conv, activation, unfused, manager, this);
            if (isFused(step)) {
                fused++;
            }
            return step;
        }

        /** @return how many of the folding's convolutions run fused with their activation */
        public int fused() {
            return fuse && foldsFinite ? fused : 0;
        }

        private void check(FoldedConvolution.Folded conv) {
            if (fuse && foldsFinite && !conv.isFinite()) {
                foldsFinite = false;
            }
        }
    }

    /**
     * Whether networks may run fused: the fused path is {@link #active()} and every parameter of the networks is a
     * finite number. oneDNN's ReLU turns NaN into 0 where libtorch's keeps it, so a model whose weights are not finite
     * runs the plain path: its maps are then NaN, and its images errors, never verdicts.
     */
    static boolean mayFuse(Block... networks) {
        if (!active()) {
            return false;
        }
        for (Block network : networks) {
            if (network == null) {
                continue;
            }
            for (Parameter parameter : network.getParameters().values()) {
                if (!parameter.isInitialized()) {
                    continue;
                }
                if (!parameter.getArray().getDevice().equals(Device.cpu())) {
                    return false; // a GPU's arrays never fuse: no reason to read them all back
                }
                if (!FoldedConvolution.finite(parameter.getArray())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param step a step made by {@link #of}
     * @return whether it runs fused (not the plain path it fell back to when made)
     */
    public static boolean isFused(UnaryOperator<NDArray> step) {
        return step instanceof Step;
    }

    /** @return whether the fused path is on ({@value #PROPERTY}, default true) */
    private static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /** @return whether the fused path is on, its module loaded in this process and no fused call has failed */
    public static boolean active() {
        return enabled() && !broken && Module.INSTANCE != null;
    }

    /**
     * One fused convolution and activation: its method, its weights and geometry as native values (closed with the
     * folded weights' manager), and the plain path it falls back to.
     */
    private static final class Step implements UnaryOperator<NDArray>, AutoCloseable {
        private final PtSymbolBlock module;
        private final String method;
        private final IValue[] arguments;
        private final UnaryOperator<NDArray> plain;
        /** The folding this step belongs to, or {@code null} for a convolution fused alone. */
        private final Fusion fusion;

        Step(PtSymbolBlock module, String method, IValue[] fixed, UnaryOperator<NDArray> plain, Fusion fusion) {
            this.module = module;
            this.method = method;
            this.plain = plain;
            this.fusion = fusion;
            this.arguments = new IValue[fixed.length + 1];
            System.arraycopy(fixed, 0, arguments, 1, fixed.length);
        }

        @Override
        public NDArray apply(NDArray x) {
            // a fold of the network that is not finite, a GPU array, an input with a gradient (the fused operation
            // has none), a failure before: run plain
            if (broken || fusion != null && !fusion.foldsFinite || !(x instanceof PtNDArray input)
                    || !x.getDevice().equals(Device.cpu()) || x.hasGradient()) {
                return plain.apply(x);
            }
            IValue[] all = arguments.clone();
            try (IValue in = IValue.from(input)) {
                all[0] = in;
                try (IValue out = IValueUtils.runMethod(module, method, all)) {
                    return out.toTensor((PtNDManager) x.getManager());
                }
            } catch (RuntimeException e) {
                // an input the plain path refuses too (a wrong shape, weights already freed) is the caller's error:
                // the plain path throws it; only a failure of the fused call itself turns fusion off
                NDArray y = plain.apply(x);
                if (!broken) {
                    broken = true;
                    LOG.warn("a fused convolution failed where the plain one did not ({}): convolutions and their "
                            + "activations run apart from now on", lastLine(e));
                    LOG.debug("the fused convolution's failure", e);
                }
                return y;
            }
        }

        @Override
        public void close() {
            for (int i = 1; i < arguments.length; i++) {
                arguments[i].close();
            }
        }
    }

    /** The line of an engine error that says what went wrong (TorchScript's first lines only say where). */
    private static String lastLine(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.toString();
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse(e.toString());
    }

    /** The module, loaded on first use; {@code null} where it cannot be. */
    private static final class Module {
        static final PtSymbolBlock INSTANCE = load();

        private static PtSymbolBlock load() {
            try {
                // a manager of its own, never closed: the module lives as long as the process
                // the engine as its callers already hold it: not DjlRuntime.engine(), whose first call runs the
                // kernel check, which runs this class in a child JVM, which would run the check again
                PtNDManager manager = (PtNDManager) NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE);
                return JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), false, false);
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.info("convolutions and activations run apart: the fused operation is not available here ({})",
                        lastLine(e));
                return null;
            }
        }
    }

    /**
     * The TorchScript archive: the source, the pickled module object (a {@code __torch__.FusedConvolutions} whose
     * only attribute is {@code training = False}), no constants, format version 3.
     */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "fused/data.pkl", moduleObject());
            store(zip, "fused/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            store(zip, "fused/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            store(zip, "fused/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2: GLOBAL, EMPTY_TUPLE, NEWOBJ, {training: False} as its state, BUILD, STOP. */
    private static byte[] moduleObject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        out.writeBytes("c__torch__\nFusedConvolutions\n".getBytes(StandardCharsets.US_ASCII));
        out.write(')');
        out.write(0x81);
        out.write('}');
        out.write('(');
        byte[] name = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X');
        out.writeBytes(new byte[] {(byte) name.length, 0, 0, 0});
        out.writeBytes(name);
        out.write(0x89);
        out.write('u');
        out.write('b');
        out.write('.');
        return out.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
