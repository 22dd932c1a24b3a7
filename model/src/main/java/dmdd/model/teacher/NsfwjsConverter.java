package dmdd.model.teacher;

import dmdd.datasets.image.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dmdd.model.engine.DjlRuntime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Converts a MobileNetV2 shipped in the MIT-licensed npm package {@code nsfwjs@4.3.0} into one
 * safetensors file that {@link MobileNetV2} loads: the Keras model {@code mobilenet_v2} (width 1.0,
 * {@link BackboneKind#MOBILENET_V2}) or the TensorFlow graph {@code mobilenet_v2_mid} (width 1.4,
 * {@link BackboneKind#MOBILENET_V2_140}).
 *
 * <p>The package holds each model as JavaScript files: {@code dist/models/<model>/model.min.js} (the topology and
 * the weights manifest: tensor names, shapes and per-tensor uint8 quantization) and the
 * {@code group1-shard*.min.js} files (the weight bytes as base64 strings). Each value is {@code q * scale + min}.
 * Kernels are converted to DJL layout: convolutions HWIO to OIHW, depthwise H x W x C x 1 to
 * C x 1 x H x W, dense inputs x units to units x inputs. Tensors get the Keras layer names: the width-1.0 model has
 * them already; the graph's TensorFlow-slim names are renamed ({@code MobilenetV2/expanded_conv_3/expand/...} to
 * {@code block_3_expand/...}), and since the graph folded each batch norm into its convolution, each becomes a batch
 * norm with identity statistics and the folded shift (see {@link MobileNetV2}). The graph's input scaling
 * ({@code 2 x - 1}) is checked, not stored.
 *
 * <p>The conversion is deterministic (Java's float arithmetic is the same on every platform, and the file's tensors
 * keep the manifest's order), so its SHA-256 is pinned ({@link #convertedSha256}): a conversion that gives other
 * bytes is refused before it is stored, and an imported converted file must have them. The file is written atomically
 * together with a {@code .sha256} file that later loads check the cache against.
 */
public final class NsfwjsConverter {
    /** npm package name. */
    public static final String PACKAGE_NAME = "nsfwjs";
    /** The version whose weights are used. */
    public static final String PACKAGE_VERSION = "4.3.0";
    /** SHA-256 of {@code nsfwjs-4.3.0.tgz} as published on the npm registry. */
    public static final String TARBALL_SHA256 = "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f";
    /** SHA-256 of the safetensors file this converter makes of the width-1.0 MobileNetV2. */
    public static final String CONVERTED_SHA256 = "14052d5c86f889b982238d15594ed574a69a4864cffd527598cb7f731f24f2ea";
    /** SHA-256 of the safetensors file this converter makes of the width-1.4 MobileNetV2. */
    public static final String CONVERTED_140_SHA256 =
            "f4d94e8c67f6a7290236f07fd1db45419c63bf498e98469cc022d8ed75447076";
    /** The prefix of every tensor and node name in the width-1.4 graph that belongs to the hub module. */
    private static final String GRAPH_SCOPE = "predict/";
    /** The topology and weights manifest inside a model's folder. */
    private static final String MODEL_FILE = "model.min.js";

    private static final JsonMapper JS_LITERAL_MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .build();

    private NsfwjsConverter() {
    }

    /**
     * One nsfwjs network: its folder inside the tarball, the pinned SHA-256 of its converted file, and whether nsfwjs
     * ships it as a TensorFlow graph (folded batch norms, TensorFlow-slim names) rather than a Keras model.
     */
    private record Network(String folder, String convertedSha256, boolean graph) {
        static Network of(BackboneKind kind) {
            return switch (kind) {
                case MOBILENET_V2 -> new Network("package/dist/models/mobilenet_v2/", CONVERTED_SHA256, false);
                case MOBILENET_V2_140 ->
                        new Network("package/dist/models/mobilenet_v2_mid/", CONVERTED_140_SHA256, true);
                case RESNET18, WIDE_RESNET50_2 ->
                        throw new IllegalArgumentException(kind.cliName() + " does not come from nsfwjs");
            };
        }
    }

    /**
     * @param kind a backbone whose weights come from nsfwjs
     * @return the pinned SHA-256 of its converted file
     */
    public static String convertedSha256(BackboneKind kind) {
        return Network.of(kind).convertedSha256();
    }

    /** @return the tarball's file name, {@code nsfwjs-4.3.0.tgz} */
    public static String tarballFileName() {
        return PACKAGE_NAME + "-" + PACKAGE_VERSION + ".tgz";
    }

    /**
     * Converts one of the tarball's networks to a safetensors file (plus {@code <target>.sha256}), atomically.
     *
     * @param kind    {@link BackboneKind#MOBILENET_V2} or {@link BackboneKind#MOBILENET_V2_140}
     * @param tarball {@code nsfwjs-4.3.0.tgz}; its SHA-256 must be {@link #TARBALL_SHA256}
     * @param target  the safetensors file to write
     * @throws IOException naming the file and the problem when the tarball is missing, is not the
     *                     pinned version or does not hold the expected model
     */
    public static void convert(BackboneKind kind, Path tarball, Path target) throws IOException {
        Network network = Network.of(kind);
        String modelDir = network.folder();
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("nsfwjs tarball not found: " + tarball);
        }
        String actual = WeightFiles.sha256(tarball);
        if (!TARBALL_SHA256.equals(actual)) {
            throw new TeacherWeightsException(tarball + " is not " + tarballFileName() + ": its SHA-256 is "
                    + actual + ", expected " + TARBALL_SHA256);
        }
        Map<String, byte[]> files = readModelFiles(tarball, modelDir);
        byte[] converted;
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            decode(network, files, tarball, manager).encode(out, NDList.Encoding.SAFETENSORS);
            converted = out.toByteArray();
        }
        String sha = HexFormat.of().formatHex(WeightFiles.newSha256().digest(converted));
        if (!network.convertedSha256().equals(sha)) {
            throw new TeacherWeightsException("converting " + kind.cliName() + " from " + tarball
                    + " gave a file with SHA-256 " + sha + ", expected " + network.convertedSha256()
                    + "; nothing was stored (please report this: the conversion should give the same bytes "
                    + "everywhere)");
        }
        AtomicFiles.writeBytes(target, converted);
        TeacherWeights.writeChecksumFile(target);
    }

    /**
     * Command-line entry for the build and the installer: converts a tarball without a network.
     *
     * @param args {@code [mobilenetv2|mobilenetv2_140] <nsfwjs-4.3.0.tgz> <output.safetensors>} (the first is the
     *             default)
     * @throws IOException when the conversion fails
     */
    public static void main(String[] args) throws IOException {
        BackboneKind kind = BackboneKind.MOBILENET_V2;
        if (args.length == 3) {
            try {
                kind = BackboneKind.fromCliName(args[0]);
            } catch (IllegalArgumentException e) {
                kind = null;
            }
            if (kind == null || !kind.fromNsfwjs()) {
                kind = null;
                System.err.println("error: unknown network '" + args[0] + "'; choose "
                        + BackboneKind.MOBILENET_V2.cliName() + " or " + BackboneKind.MOBILENET_V2_140.cliName());
            }
            args = java.util.Arrays.copyOfRange(args, 1, 3);
        }
        if (args.length != 2 || kind == null) {
            System.err.println("usage: NsfwjsConverter [mobilenetv2|mobilenetv2_140] <" + tarballFileName()
                    + "> <output.safetensors>");
            System.exit(2);
        }
        Path target = Path.of(args[1]);
        if (java.nio.file.Files.exists(target) && !args[1].endsWith(".safetensors")) {
            // A typo must not replace a person's file with weights.
            System.err.println("error: " + target + " exists and is not a .safetensors file; not replacing it");
            System.exit(2);
        }
        try {
            convert(kind, Path.of(args[0]), target);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("wrote " + args[1]);
    }

    /** Reads every file of the model folder from the tarball. */
    private static Map<String, byte[]> readModelFiles(Path tarball, String modelDir) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isFile() && entry.getName().startsWith(modelDir)
                        && entry.getName().indexOf('/', modelDir.length()) < 0) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        if (!files.containsKey(modelDir + MODEL_FILE)) {
            throw new TeacherWeightsException(tarball + " has no " + modelDir + MODEL_FILE);
        }
        return files;
    }

    /** Decodes all tensors of the manifest, in manifest order, in DJL layout under their Keras names. */
    private static NDList decode(Network network, Map<String, byte[]> files, Path tarball, NDManager manager)
            throws IOException {
        String modelDir = network.folder();
        String where = tarball + "!" + modelDir + MODEL_FILE;
        JsonNode model = parseJsLiteral(new String(files.get(modelDir + MODEL_FILE), StandardCharsets.UTF_8), where);
        JsonNode manifest = model.path("weightsManifest");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new TeacherWeightsException(where + " has no weightsManifest");
        }
        if (network.graph() != "graph-model".equals(model.path("format").asText())) {
            throw new TeacherWeightsException(where + " is a '" + model.path("format").asText("Keras")
                    + "' model, not the " + (network.graph() ? "TensorFlow graph" : "Keras model") + " expected");
        }
        GraphNames graph = network.graph() ? GraphNames.of(model, where) : null;
        NDList tensors = new NDList();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = ByteBuffer.wrap(readGroup(group, files, modelDir, tarball))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode weight : group.path("weights")) {
                Tensor tensor = readTensor(weight, bytes, tarball);
                if (graph == null) {
                    tensors.add(toArray(tensor, manager));
                } else {
                    for (Tensor renamed : graph.toKeras(tensor, where)) {
                        tensors.add(toArray(renamed, manager));
                    }
                }
            }
            if (bytes.hasRemaining()) {
                throw new TeacherWeightsException(tarball + ": " + bytes.remaining()
                        + " bytes of weight data are not described by the manifest");
            }
        }
        if (graph != null) {
            graph.checkInputScaling(where);
        }
        return tensors;
    }

    /** One tensor of the manifest: its name, its values in the file's (TensorFlow) layout and its shape. */
    private record Tensor(String name, float[] values, long[] shape) {
    }

    /**
     * The width-1.4 graph's names: TensorFlow-slim's layer names to Keras's, the folded batch norms' shifts to
     * identity batch norms, the classifier read from the graph's one matrix product, the input scaling checked.
     */
    private static final class GraphNames {
        private final String denseKernel;
        private final String denseBias;
        private final Map<String, Float> inputScaling = new HashMap<>();

        private GraphNames(String denseKernel, String denseBias) {
            this.denseKernel = denseKernel;
            this.denseBias = denseBias;
        }

        static GraphNames of(JsonNode model, String where) throws TeacherWeightsException {
            for (JsonNode node : model.path("modelTopology").path("node")) {
                if ("_FusedMatMul".equals(node.path("op").asText()) && node.path("input").size() == 3) {
                    return new GraphNames(node.path("input").get(1).asText(), node.path("input").get(2).asText());
                }
            }
            throw new TeacherWeightsException(where + ": the graph has no classifier (_FusedMatMul) node");
        }

        List<Tensor> toKeras(Tensor tensor, String where) throws TeacherWeightsException {
            String name = tensor.name();
            if (name.equals(denseKernel)) {
                return List.of(new Tensor("logits/kernel", tensor.values(), tensor.shape()));
            }
            if (name.equals(denseBias)) {
                return List.of(new Tensor("logits/bias", tensor.values(), tensor.shape()));
            }
            int scoped = name.lastIndexOf(GRAPH_SCOPE);
            String local = scoped < 0 ? name : name.substring(scoped + GRAPH_SCOPE.length());
            if (local.equals("hub_input/Mul/y") || local.equals("hub_input/Sub/y")) {
                inputScaling.put(local, tensor.values().length == 1 ? tensor.values()[0] : Float.NaN);
                return List.of();
            }
            String[] parts = local.split("/");
            if (parts.length < 3 || !parts[0].equals("MobilenetV2")) {
                throw new TeacherWeightsException(where + ": tensor " + name + " is not part of MobileNetV2");
            }
            String layer = kerasLayer(parts, name, where);
            String leaf = parts[parts.length - 1];
            if (leaf.equals("Conv2D_weights")) {
                return List.of(new Tensor(layer + "/kernel", tensor.values(), tensor.shape()));
            }
            if (leaf.equals("depthwise_weights")) {
                return List.of(new Tensor(layer + "/depthwise_kernel", tensor.values(), tensor.shape()));
            }
            if (leaf.endsWith("_bn_offset")) {
                String norm = batchNormOf(layer);
                float[] ones = new float[tensor.values().length];
                java.util.Arrays.fill(ones, 1f);
                return List.of(new Tensor(norm + "/gamma", ones, tensor.shape()),
                        new Tensor(norm + "/beta", tensor.values(), tensor.shape()),
                        new Tensor(norm + "/moving_mean", new float[ones.length], tensor.shape()),
                        new Tensor(norm + "/moving_variance", ones.clone(), tensor.shape()));
            }
            throw new TeacherWeightsException(where + ": tensor " + name + " is of no kind this converter knows");
        }

        /** {@code MobilenetV2/Conv/...} to {@code Conv1}, {@code expanded_conv_3/expand} to {@code block_3_expand}. */
        private static String kerasLayer(String[] parts, String name, String where) throws TeacherWeightsException {
            String scope = parts[1];
            if (scope.equals("Conv")) {
                return "Conv1";
            }
            if (scope.equals("Conv_1")) {
                return "Conv_1";
            }
            if (scope.startsWith("expanded_conv") && parts.length == 4) {
                String prefix = scope.equals("expanded_conv") ? "expanded_conv_"
                        : "block_" + scope.substring("expanded_conv_".length()) + "_";
                return prefix + parts[2];
            }
            throw new TeacherWeightsException(where + ": tensor " + name + " is in no MobileNetV2 layer");
        }

        /** Keras's name of the batch norm after a convolution layer. */
        private static String batchNormOf(String layer) {
            return switch (layer) {
                case "Conv1" -> "bn_Conv1";
                case "Conv_1" -> "Conv_1_bn";
                default -> layer + "_BN";
            };
        }

        /** The network's code computes {@code 2 x - 1}: the graph must scale its input so. */
        void checkInputScaling(String where) throws TeacherWeightsException {
            if (!Float.valueOf(2f).equals(inputScaling.get("hub_input/Mul/y"))
                    || !Float.valueOf(1f).equals(inputScaling.get("hub_input/Sub/y"))) {
                throw new TeacherWeightsException(where + ": the graph scales its input as " + inputScaling
                        + ", not as 2 x - 1");
            }
        }
    }

    private static byte[] readGroup(JsonNode group, Map<String, byte[]> files, String modelDir, Path tarball)
            throws IOException {
        List<byte[]> shards = new ArrayList<>();
        int total = 0;
        for (JsonNode path : group.path("paths")) {
            String name = modelDir + path.asText();
            byte[] js = files.getOrDefault(name + ".min.js", files.getOrDefault(name + ".js", files.get(name)));
            if (js == null) {
                throw new TeacherWeightsException(tarball + " has no weight shard " + name + "(.min.js)");
            }
            byte[] shard = Base64.getDecoder().decode(base64Payload(new String(js, StandardCharsets.US_ASCII),
                    tarball + "!" + name));
            shards.add(shard);
            total += shard.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] shard : shards) {
            System.arraycopy(shard, 0, all, at, shard.length);
            at += shard.length;
        }
        return all;
    }

    private static Tensor readTensor(JsonNode weight, ByteBuffer bytes, Path tarball) throws IOException {
        String name = weight.path("name").asText();
        long[] shape = new long[weight.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = weight.path("shape").get(i).asLong();
            count *= shape[i];
        }
        JsonNode quantization = weight.path("quantization");
        String storage = quantization.isMissingNode() ? weight.path("dtype").asText() : quantization.path("dtype").asText();
        int bytesPerValue = switch (storage) {
            case "uint8" -> 1;
            case "uint16" -> 2;
            case "float32" -> 4;
            default -> throw new TeacherWeightsException(tarball + ": tensor " + name
                    + " is stored as '" + storage + "', which this converter does not read");
        };
        if (bytes.remaining() < count * bytesPerValue) {
            throw new TeacherWeightsException(tarball + ": weight data ends inside tensor " + name);
        }
        float scale = (float) quantization.path("scale").asDouble(1);
        float min = (float) quantization.path("min").asDouble(0);
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (bytesPerValue) {
                case 1 -> (bytes.get() & 0xFF) * scale + min;
                case 2 -> (bytes.getShort() & 0xFFFF) * scale + min;
                default -> bytes.getFloat();
            };
        }
        return new Tensor(name, values, shape);
    }

    private static NDArray toArray(Tensor tensor, NDManager manager) {
        Layout layout = toDjlLayout(tensor.name(), tensor.values(), tensor.shape());
        NDArray array = manager.create(layout.values(), new Shape(layout.shape()));
        array.setName(tensor.name());
        return array;
    }

    /** Values and shape in DJL layout. */
    private record Layout(float[] values, long[] shape) {
    }

    private static Layout toDjlLayout(String name, float[] values, long[] shape) {
        if (shape.length == 4 && name.endsWith("/depthwise_kernel")) {
            // H x W x C x M -> C x M x H x W, i.e. (C*M) x 1 x H x W: output channel c*M+m as in TF.
            Layout p = permute(values, shape, new int[] {2, 3, 0, 1});
            return new Layout(p.values(), new long[] {shape[2] * shape[3], 1, shape[0], shape[1]});
        }
        if (shape.length == 4) {
            return permute(values, shape, new int[] {3, 2, 0, 1});
        }
        if (shape.length == 2) {
            return permute(values, shape, new int[] {1, 0});
        }
        return new Layout(values, shape);
    }

    /**
     * Transposes a row-major array.
     *
     * @param values row-major values
     * @param shape  their shape
     * @param axes   output axis i is input axis {@code axes[i]}
     * @return the transposed values and shape
     */
    static Layout permute(float[] values, long[] shape, int[] axes) {
        int rank = shape.length;
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= shape[i];
        }
        long[] outShape = new long[rank];
        long[] strideOfOutAxis = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[axes[i]];
            strideOfOutAxis[i] = inStrides[axes[i]];
        }
        float[] out = new float[values.length];
        int[] index = new int[rank];
        for (int o = 0; o < out.length; o++) {
            long source = 0;
            for (int i = 0; i < rank; i++) {
                source += index[i] * strideOfOutAxis[i];
            }
            out[o] = values[(int) source];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < outShape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return new Layout(out, outShape);
    }

    /**
     * Parses the object literal a minified TF.js module exports ({@code ...exports={...}...}).
     * The literal is JavaScript, not JSON: unquoted keys, {@code !0}/{@code !1} for true/false and
     * numbers such as {@code .5}; those are rewritten before Jackson reads it.
     */
    static JsonNode parseJsLiteral(String js, String where) throws IOException {
        int exportsAt = js.indexOf("exports={");
        if (exportsAt < 0) {
            throw new TeacherWeightsException(where + ": no 'exports={' object literal found");
        }
        int start = exportsAt + "exports=".length();
        StringBuilder json = new StringBuilder(js.length());
        int depth = 0;
        char quote = 0;
        for (int i = start; i < js.length(); i++) {
            char c = js.charAt(i);
            if (quote != 0) {
                json.append(c);
                if (c == '\\' && i + 1 < js.length()) {
                    json.append(js.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '!' && i + 1 < js.length() && (js.charAt(i + 1) == '0' || js.charAt(i + 1) == '1')) {
                json.append(js.charAt(++i) == '0' ? "true" : "false");
                continue;
            } else if (c == '.' && i + 1 < js.length() && Character.isDigit(js.charAt(i + 1))
                    && !Character.isDigit(js.charAt(i - 1))) {
                json.append('0');
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            json.append(c);
            if (depth == 0) {
                return JS_LITERAL_MAPPER.readTree(json.toString());
            }
        }
        throw new TeacherWeightsException(where + ": the exported object literal is not closed");
    }

    /** The base64 string a minified TF.js shard module exports ({@code exports="..."}). */
    static String base64Payload(String js, String where) throws IOException {
        int at = js.indexOf("exports=\"");
        int end = at < 0 ? -1 : js.indexOf('"', at + "exports=\"".length());
        if (end < 0) {
            throw new TeacherWeightsException(where + ": no exported base64 string found");
        }
        return js.substring(at + "exports=\"".length(), end);
    }
}
