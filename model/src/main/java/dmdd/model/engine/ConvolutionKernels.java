package dmdd.model.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps libtorch's convolutions right on CPUs where oneDNN's AVX2 and AVX-512 kernels compute them wrongly.
 *
 * <p>On an AMD EPYC of family 26 (Zen 5), libtorch 2.7.1's oneDNN 3.7.1 returned wrong float32 convolutions
 * for channel counts that are not multiples of 16 (see {@link ChannelPaddedConvolution}, which the networks'
 * convolutions run through and which keeps them to channel counts computed right there). Limited to AVX
 * ({@code ONEDNN_MAX_CPU_ISA=AVX}) every convolution the four methods train with agreed with float64, at about
 * half the speed.
 *
 * <p>This class checks that the networks' path computes right with oneDNN's defaults and, where it does not,
 * limits oneDNN to AVX. oneDNN reads that variable once, at its first convolution, so the decision must come
 * before the engine computes anything, and it cannot come from a check in this process. {@link #limitWhereWrong}
 * therefore runs {@link #check} once per machine in a child JVM (this class's {@code main}), caches the
 * verdict in the user's cache folder by CPU, DJL version, core count and the check's own version, and sets the
 * variable through the C library when the kernels are wrong: to AVX2 where the CPU has AVX-512 and a second child
 * checking at AVX2 finds those kernels right (that Zen 5, whose AVX-512 1 x 1 kernels were found wrong later), else
 * to AVX. Only x86 CPUs with AVX2 are checked (below that oneDNN's kernels are the fallback's already). A variable
 * the user set, or {@code -Ddmdd.onednnIsa=VALUE} ({@code default}: leave oneDNN alone), always wins. Trainers call
 * {@link #check} again in their own process and refuse to train on wrong kernels.
 */
public final class ConvolutionKernels {
    private static final Logger LOG = LoggerFactory.getLogger(ConvolutionKernels.class);
    /** The environment variable oneDNN reads for the newest instruction set it may use. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** oneDNN's older name for it. */
    private static final String OLD_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
    /** The system property that overrides the automatic choice. */
    public static final String ISA_PROPERTY = "dmdd.onednnIsa";
    /** The instruction set that computed every convolution right where AVX2 and AVX-512 did not. */
    static final String SAFE_ISA = "AVX";
    /** The one tried first where AVX-512's convolutions are wrong: right on a Zen 5 whose AVX-512 ones were not. */
    static final String AVX2_ISA = "AVX2";
    /** Relative error (of the float64 result's largest magnitude) above which a convolution is wrong. */
    static final double TOLERANCE = 1e-3;
    private static final String CORRECT = "correct";
    /** Part of the cached verdict's key: a verdict of an earlier check (other cases, another path) is not reused. */
    private static final String CHECK_VERSION = "channel-padded-channels-last-fused-1x1-2";
    private static final String LIMITED = "oneDNN limited to ";
    private static volatile String decision;

    private ConvolutionKernels() {
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param correct            whether every checked convolution agreed with float64
     * @param worstRelativeError the largest error seen, relative to the reference's largest magnitude (NaN when
     *                           a result was not finite)
     * @param worstCase          which convolution and which result gave it
     */
    public record Verdict(boolean correct, double worstRelativeError, String worstCase) {
        /** @return one line for messages */
        public String describe() {
            return correct ? "float32 convolutions agree with float64"
                    : "float32 convolutions are wrong here (" + worstCase + ": relative error " + worstRelativeError + ")";
        }
    }

    /**
     * Decides, once per process and before the engine starts, whether oneDNN must be limited to AVX2 or AVX.
     *
     * @return what was decided, for messages (for example {@code "oneDNN default instruction set"})
     */
    public static synchronized String limitWhereWrong() {
        if (decision == null) {
            decision = decide();
        }
        return decision;
    }

    /** @return what a person can do when the kernels are still wrong */
    public static String advice() {
        return "Start the program again with " + ISA_VARIABLE + "=" + SAFE_ISA + " in the environment";
    }

    /** @return what {@link #limitWhereWrong} decided when it limited oneDNN itself (worth telling whoever trains) */
    public static java.util.Optional<String> limitation() {
        String d = decision;
        return d != null && d.startsWith(LIMITED) ? java.util.Optional.of(d) : java.util.Optional.empty();
    }

    /** @return what {@link #limitWhereWrong} decided, or {@code null} before it ran */
    public static String decision() {
        return decision;
    }

    private static String decide() {
        String forced = System.getProperty(ISA_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            if ("default".equalsIgnoreCase(forced.trim())) {
                return "oneDNN default instruction set (" + ISA_PROPERTY + "=default)";
            }
            return setIsa(forced.trim().toUpperCase(Locale.ROOT), ISA_PROPERTY + "=" + forced.trim());
        }
        String fromEnv = System.getenv(ISA_VARIABLE) != null ? System.getenv(ISA_VARIABLE) : System.getenv(OLD_ISA_VARIABLE);
        if (fromEnv != null) {
            return "oneDNN instruction sets as " + ISA_VARIABLE + "=" + fromEnv + " in the environment says";
        }
        CpuInfo cpu = CpuInfo.read();
        if (cpu == null || !cpu.hasAvx2()) {
            return "oneDNN default instruction set";
        }
        String verdict;
        try {
            verdict = cachedOrChecked(cpu, null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not check this CPU's convolution kernels ({}); using oneDNN's defaults", e.toString());
            return "oneDNN default instruction set (unchecked: " + e.getMessage() + ")";
        }
        if (verdict.startsWith(CORRECT)) {
            return "oneDNN default instruction set (checked on this CPU)";
        }
        if (cpu.hasAvx512()) {
            String avx2;
            try {
                avx2 = cachedOrChecked(cpu, AVX2_ISA);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not check this CPU's AVX2 convolution kernels ({}); limiting oneDNN to {}",
                        e.toString(), SAFE_ISA);
                avx2 = "not checked: " + e.getMessage();
            }
            if (avx2.startsWith(CORRECT)) {
                return setIsa(AVX2_ISA, "its AVX-512 convolutions were wrong on this CPU (" + verdict
                        + "); its AVX2 ones were right");
            }
            return setIsa(SAFE_ISA, "its AVX-512 convolutions were wrong on this CPU (" + verdict + "), and at AVX2: "
                    + avx2);
        }
        return setIsa(SAFE_ISA, "its AVX2/AVX-512 convolutions were wrong on this CPU: " + verdict);
    }

    private static String setIsa(String isa, String why) {
        if (!Platform.isLinux() && !Platform.isMac()) {
            LOG.warn("cannot set {} on this system; set it in the environment to {} ({})", ISA_VARIABLE, isa, why);
            return "oneDNN default instruction set (could not limit it: " + why + ")";
        }
        try {
            if (Libc.load().setenv(ISA_VARIABLE, isa, 1) != 0) {
                throw new IllegalStateException("setenv refused");
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("could not set {}={} ({}); set it in the environment ({})", ISA_VARIABLE, isa, e.toString(), why);
            return "oneDNN default instruction set (could not limit it: " + why + ")";
        }
        LOG.info("oneDNN limited to {}: {}", isa, why);
        return LIMITED + isa + " (" + why + ")";
    }

    /**
     * The cached verdict for this CPU and DJL, or a fresh one from a child JVM (then cached).
     *
     * @param isa the instruction set oneDNN is limited to in the check, or {@code null} for its defaults
     */
    private static String cachedOrChecked(CpuInfo cpu, String isa) throws IOException {
        Path file = dmdd.model.paths.UserDataDirs.cacheDir().resolve("convolution-check")
                .resolve(cpu.key() + (isa == null ? "" : "-" + isa.toLowerCase(Locale.ROOT)) + ".txt");
        if (Files.isRegularFile(file)) {
            String cached = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!cached.isEmpty()) {
                return cached;
            }
        }
        String verdict = runChild(isa);
        try {
            dmdd.datasets.image.AtomicFiles.writeString(file, verdict + System.lineSeparator());
        } catch (IOException e) {
            // the verdict still holds for this process; the next start checks again
            LOG.info("could not keep the convolution check's verdict in {} ({})", file, e.toString());
        }
        return verdict;
    }

    private static String runChild(String isa) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", Platform.isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java)) {
            throw new IOException("no java launcher in " + java.getParent() + " to check the kernels with");
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m"));
        for (String property : new String[] {"DJL_CACHE_DIR", dmdd.model.paths.UserDataDirs.OVERRIDE_PROPERTY,
            ChannelsLast.PROPERTY}) {
            String v = System.getProperty(property);
            if (v != null) {
                command.add("-D" + property + "=" + v);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConvolutionKernels.class.getName()));
        // output to a file, not a pipe: a hung child must not hang this process past the timeout
        Path log = Files.createTempFile("dmdd-convolution-check", ".log");
        String output;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove(ISA_VARIABLE);
            pb.environment().remove(OLD_ISA_VARIABLE);
            if (isa != null) {
                pb.environment().put(ISA_VARIABLE, isa);
            }
            Process p = pb.start();
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("the kernel check did not finish in 120 s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while checking the kernels", e);
            }
            output = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                output += System.lineSeparator() + "exit " + p.exitValue();
            }
        } finally {
            Files.deleteIfExists(log);
        }
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("verdict: ")) {
                return line.substring("verdict: ".length()).trim();
            }
        }
        throw new IOException("the kernel check gave no verdict: " + output.lines().reduce((a, b) -> b).orElse(""));
    }

    /**
     * Computes convolutions of the shapes that went wrong, as the networks run them ({@link ChannelPaddedConvolution},
     * float32, {@link ChannelsLast}) and as float64 sums of matrix products, forward and backward (input and weight
     * gradients), three times each (some errors come and go with thread timing), and compares; inference's fused
     * convolution and ReLU ({@link FusedConvolution}, where it runs) the same way.
     *
     * @param manager where the arrays live (closed by the caller)
     * @return the verdict
     */
    public static Verdict check(NDManager manager) {
        // in, out, kernel, side: 24- and 40-channel levels' 3x3; the spatial attention's 2 -> 1 7x7; AAND's 1 -> 1
        // 3x3 gate; 1- and 8-channel outputs; a 32 -> 24 3x3 (each was wrong on that EPYC without the padding); 1x1
        // convolutions to 36, 80 and 136 outputs and 96 -> 320 (found later: wrong at AVX-512 there, right at AVX2)
        int[][] cases = {{24, 24, 3, 32}, {40, 40, 3, 16}, {2, 1, 7, 32}, {1, 1, 3, 32}, {64, 1, 3, 32}, {8, 8, 3, 32},
            {32, 24, 3, 32}, {16, 36, 1, 16}, {16, 80, 1, 16}, {24, 136, 1, 12}, {96, 320, 1, 12}};
        Comparison comparison = new Comparison();
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        try (NDManager m = manager.newSubManager()) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(true);
            java.util.Random rng = new java.util.Random(7); // not the engine's generator: training's draws stay as they were
            for (int[] c : cases) {
                for (int rep = 0; rep < 3; rep++) {
                    try (NDManager sm = m.newSubManager()) {
                        NDArray x = random(sm, rng, new Shape(8, c[0], c[3], c[3]), 1f);
                        NDArray w = random(sm, rng, new Shape(c[1], c[0], c[2], c[2]), 0.1f);
                        NDArray[] single = gradients(x, w, ConvolutionKernels::convolution);
                        NDArray[] dbl = gradients(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                                ConvolutionKernels::shiftedProducts);
                        String[] what = {"forward", "input gradient", "weight gradient"};
                        for (int i = 0; i < 3; i++) {
                            comparison.add(single[i], dbl[i], c, what[i]);
                        }
                    }
                }
            }
            // inference's fused convolution and ReLU (FusedConvolution), on shapes it runs: its own oneDNN primitive
            int[][] fused = {{16, 96, 1, 32}, {64, 64, 3, 32}, {32, 16, 3, 16}};
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            for (int[] c : FusedConvolution.active() ? fused : new int[0][]) {
                for (int rep = 0; rep < 3; rep++) {
                    try (NDManager sm = m.newSubManager()) {
                        NDArray x = random(sm, rng, new Shape(8, c[0], c[3], c[3]), 1f);
                        NDArray w = random(sm, rng, new Shape(c[1], c[0], c[2], c[2]), 0.1f);
                        NDArray b = random(sm, rng, new Shape(c[1]), 0.5f);
                        long pad = c[2] / 2;
                        FoldedConvolution.Folded conv = new FoldedConvolution.Folded(w, b, new Shape(1, 1),
                                new Shape(pad, pad), new Shape(1, 1), 1);
                        NDArray single = FusedConvolution.of(conv, FusedConvolution.Activation.RELU,
                                ai.djl.nn.Activation::relu, sm).apply(ChannelsLast.of(x));
                        NDArray ref = shiftedProducts(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64,
                                true)).add(b.toType(DataType.FLOAT64, true).reshape(1, -1, 1, 1)).maximum(0);
                        comparison.add(single, ref, c, "fused with ReLU");
                    }
                }
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
        return new Verdict(comparison.correct, comparison.worst, comparison.worstCase);
    }

    /** The check's results so far: whether every case was within {@link #TOLERANCE}, and the worst one. */
    private static final class Comparison {
        private boolean correct = true;
        private double worst;
        private String worstCase = "none";

        /**
         * @param single    the float32 result
         * @param reference the float64 one
         * @param c         the case: in, out, kernel, side
         * @param what      which result of the case
         */
        void add(NDArray single, NDArray reference, int[] c, String what) {
            NDArray ref = reference.toType(DataType.FLOAT32, false);
            double scale = ref.abs().max().getFloat();
            double err = single.sub(ref).abs().max().getFloat() / Math.max(scale, 1e-12);
            if (!(err <= TOLERANCE)) {
                correct = false;
            }
            if (!Double.isNaN(worst) && !(err <= worst)) { // a NaN stays the worst
                worst = err;
                worstCase = c[0] + " -> " + c[1] + " channels " + c[2] + "x" + c[2] + " " + what;
            }
        }
    }

    /** Values uniform in [-scale, scale) from {@code rng}, not from the engine's generator. */
    static NDArray random(NDManager manager, java.util.Random rng, Shape shape, float scale) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (rng.nextFloat() * 2 - 1) * scale;
        }
        return manager.create(values, shape);
    }

    /** Output, input gradient and weight gradient of the mean squared output. */
    private static NDArray[] gradients(NDArray x0, NDArray w0, java.util.function.BinaryOperator<NDArray> op) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = x.getManager().getEngine().newGradientCollector()) {
            y = op.apply(x, w);
            gc.backward(y.square().mean());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient(), w.getGradient()};
    }

    /** The networks' convolution (stride 1, same padding), in the networks' memory layout. */
    private static NDArray convolution(NDArray x, NDArray w) {
        long pad = w.getShape().get(2) / 2;
        return ChannelPaddedConvolution.convolve(ChannelsLast.of(x), w, null, new Shape(1, 1), new Shape(pad, pad),
                new Shape(1, 1), 1);
    }

    /**
     * The same convolution as a sum of matrix products over shifted copies of the input: no convolution
     * kernel involved (and no float64 convolution, which makes libtorch try NNPACK and warn on every call).
     */
    private static NDArray shiftedProducts(NDArray x, NDArray w) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        long out = w.getShape().get(0);
        int k = (int) w.getShape().get(2);
        int pad = k / 2;
        NDArray padded = x.pad(new Shape(pad, pad, pad, pad), 0);
        NDArray y = null;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                NDArray shifted = padded.get(":, :, " + i + ":" + (i + h) + ", " + j + ":" + (j + wd))
                        .transpose(1, 0, 2, 3).reshape(c, n * h * wd);
                NDArray term = w.get(":, :, " + i + ", " + j).matMul(shifted);
                y = y == null ? term : y.add(term);
            }
        }
        return y.reshape(out, n, h, wd).transpose(1, 0, 2, 3);
    }

    /**
     * The child JVM's entry: checks the kernels with the instruction sets its environment allows (oneDNN's defaults,
     * or {@code ONEDNN_MAX_CPU_ISA=AVX2} for the second check) and prints {@code verdict: correct} or
     * {@code verdict: wrong ...}.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        // whatever the check reaches must not start another check: this process is the check
        decision = "oneDNN default instruction set (the kernel check's own process)";
        DjlRuntime.applyOfflineSettings();
        Engine engine = Engine.getEngine(DjlRuntime.ENGINE);
        try (NDManager m = engine.newBaseManager()) {
            Verdict v = check(m);
            System.out.println("verdict: " + (v.correct() ? CORRECT : "wrong (" + v.worstCase() + ": relative error "
                    + String.format(Locale.ROOT, "%.3g", v.worstRelativeError()) + ")"));
        }
    }

    /** What identifies a CPU for the cached verdict. */
    record CpuInfo(String vendor, String family, String model, String stepping, String name, boolean hasAvx2,
            boolean hasAvx512) {
        static CpuInfo read() {
            Path file = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(file)) {
                return null;
            }
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return null;
            }
        }

        /** Reads the first processor's fields. */
        static CpuInfo parse(String cpuinfo) {
            String vendor = "";
            String family = "";
            String model = "";
            String stepping = "";
            String name = "";
            String flags = "";
            for (String line : cpuinfo.lines().toList()) {
                int colon = line.indexOf(':');
                if (line.isBlank() && !flags.isEmpty()) {
                    break; // the end of the first processor's block
                }
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpu family" -> family = value;
                    case "model" -> model = value;
                    case "stepping" -> stepping = value;
                    case "model name" -> name = value;
                    case "flags" -> flags = value;
                    default -> { }
                }
            }
            boolean avx2 = (" " + flags + " ").contains(" avx2 ");
            boolean avx512 = (" " + flags + " ").contains(" avx512f ");
            return new CpuInfo(vendor, family, model, stepping, name, avx2, avx512);
        }

        /** A file name for this check, this CPU, DJL's version and the cores the check runs on. */
        String key() {
            String djl = Engine.class.getPackage().getImplementationVersion();
            String layout = ChannelsLast.enabled() ? "" : "-rows";
            String text = String.join("|", CHECK_VERSION + layout, vendor, family, model, stepping, name,
                    String.valueOf(djl), String.valueOf(Runtime.getRuntime().availableProcessors()));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
