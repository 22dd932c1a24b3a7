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
 * Converts the MobileNetV2 shipped in the MIT-licensed npm package {@code nsfwjs@4.3.0} into one
 * safetensors file that {@link MobileNetV2} loads.
 *
 * <p>The package holds a TF.js Keras model as two JavaScript files:
 * {@code dist/models/mobilenet_v2/model.min.js} (the Keras topology and the weights manifest:
 * tensor names, shapes and per-tensor uint8 quantization) and {@code group1-shard1of1.min.js}
 * (the weight bytes as one base64 string). Each value is {@code q * scale + min}. Keras kernels
 * are converted to DJL layout: convolutions HWIO to OIHW, depthwise H x W x C x 1 to
 * C x 1 x H x W, dense inputs x units to units x inputs. Tensor names stay the Keras ones.
 *
 * <p>The conversion is deterministic (Java's float arithmetic is the same on every platform, and the file's tensors
 * keep the manifest's order), so its SHA-256 is pinned ({@link #CONVERTED_SHA256}): a conversion that gives other
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
    /** SHA-256 of the safetensors file this converter makes from that tarball. */
    public static final String CONVERTED_SHA256 = "14052d5c86f889b982238d15594ed574a69a4864cffd527598cb7f731f24f2ea";
    /** Folder of the model inside the tarball. */
    static final String MODEL_DIR = "package/dist/models/mobilenet_v2/";
    /** The topology and weights manifest inside the tarball. */
    static final String MODEL_FILE = MODEL_DIR + "model.min.js";

    private static final JsonMapper JS_LITERAL_MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .build();

    private NsfwjsConverter() {
    }

    /** @return the tarball's file name, {@code nsfwjs-4.3.0.tgz} */
    public static String tarballFileName() {
        return PACKAGE_NAME + "-" + PACKAGE_VERSION + ".tgz";
    }

    /**
     * Converts the tarball to a safetensors file (plus {@code <target>.sha256}), atomically.
     *
     * @param tarball {@code nsfwjs-4.3.0.tgz}; its SHA-256 must be {@link #TARBALL_SHA256}
     * @param target  the safetensors file to write
     * @throws IOException naming the file and the problem when the tarball is missing, is not the
     *                     pinned version or does not hold the expected model
     */
    public static void convert(Path tarball, Path target) throws IOException {
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("nsfwjs tarball not found: " + tarball);
        }
        String actual = WeightFiles.sha256(tarball);
        if (!TARBALL_SHA256.equals(actual)) {
            throw new TeacherWeightsException(tarball + " is not " + tarballFileName() + ": its SHA-256 is "
                    + actual + ", expected " + TARBALL_SHA256);
        }
        Map<String, byte[]> files = readModelFiles(tarball);
        byte[] converted;
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            decode(files, tarball, manager).encode(out, NDList.Encoding.SAFETENSORS);
            converted = out.toByteArray();
        }
        String sha = HexFormat.of().formatHex(WeightFiles.newSha256().digest(converted));
        if (!CONVERTED_SHA256.equals(sha)) {
            throw new TeacherWeightsException("converting " + tarball + " gave a file with SHA-256 " + sha
                    + ", expected " + CONVERTED_SHA256 + "; nothing was stored (please report this: the conversion "
                    + "should give the same bytes everywhere)");
        }
        AtomicFiles.writeBytes(target, converted);
        TeacherWeights.writeChecksumFile(target);
    }

    /**
     * Command-line entry for the build and the installer: converts a tarball without a network.
     *
     * @param args {@code <nsfwjs-4.3.0.tgz> <output.safetensors>}
     * @throws IOException when the conversion fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: NsfwjsConverter <" + tarballFileName() + "> <output.safetensors>");
            System.exit(2);
        }
        Path target = Path.of(args[1]);
        if (java.nio.file.Files.exists(target) && !args[1].endsWith(".safetensors")) {
            // A typo must not replace a person's file with weights.
            System.err.println("error: " + target + " exists and is not a .safetensors file; not replacing it");
            System.exit(2);
        }
        try {
            convert(Path.of(args[0]), target);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("wrote " + args[1]);
    }

    /** Reads every file of the model folder from the tarball. */
    private static Map<String, byte[]> readModelFiles(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isFile() && entry.getName().startsWith(MODEL_DIR)
                        && entry.getName().indexOf('/', MODEL_DIR.length()) < 0) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        if (!files.containsKey(MODEL_FILE)) {
            throw new TeacherWeightsException(tarball + " has no " + MODEL_FILE);
        }
        return files;
    }

    /** Decodes all tensors of the manifest, in manifest order, in DJL layout. */
    private static NDList decode(Map<String, byte[]> files, Path tarball, NDManager manager) throws IOException {
        JsonNode model = parseJsLiteral(new String(files.get(MODEL_FILE), StandardCharsets.UTF_8),
                tarball + "!" + MODEL_FILE);
        JsonNode manifest = model.path("weightsManifest");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new TeacherWeightsException(tarball + "!" + MODEL_FILE + " has no weightsManifest");
        }
        NDList tensors = new NDList();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = ByteBuffer.wrap(readGroup(group, files, tarball)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode weight : group.path("weights")) {
                tensors.add(decodeTensor(weight, bytes, tarball, manager));
            }
            if (bytes.hasRemaining()) {
                throw new TeacherWeightsException(tarball + ": " + bytes.remaining()
                        + " bytes of weight data are not described by the manifest");
            }
        }
        return tensors;
    }

    private static byte[] readGroup(JsonNode group, Map<String, byte[]> files, Path tarball) throws IOException {
        List<byte[]> shards = new ArrayList<>();
        int total = 0;
        for (JsonNode path : group.path("paths")) {
            String name = MODEL_DIR + path.asText();
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

    private static NDArray decodeTensor(JsonNode weight, ByteBuffer bytes, Path tarball, NDManager manager)
            throws IOException {
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
        Layout layout = toDjlLayout(name, values, shape);
        NDArray array = manager.create(layout.values(), new Shape(layout.shape()));
        array.setName(name);
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
