package dmdd.model.teacher;

import dmdd.datasets.image.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Obtains teacher weights and loads them into a network. There is one weights format in the
 * project, safetensors, and three sources:
 * <ol>
 *   <li>MobileNetV2 (the default): the MIT-licensed npm package {@code nsfwjs@4.3.0}, converted
 *       once by {@link NsfwjsConverter}. The tarball is taken from a local file when there is one
 *       (system property {@value #TARBALL_PROPERTY}, the test fixtures, the cache folder), else
 *       downloaded from the npm registry ({@link NpmRegistry}); its SHA-256 is pinned.</li>
 *   <li>ResNet-18 and WideResNet-50-2: torchvision's ImageNet weights as safetensors, as published
 *       by timm on the Hugging Face hub ({@link HubFile}), downloaded on request with a pinned
 *       SHA-256.</li>
 *   <li>Air-gapped machines: {@link #importFile} takes the same files (or the nsfwjs tarball) from
 *       a local path.</li>
 * </ol>
 * Everything lands in the cache folder ({@code <user data>/weights}) next to a {@code .sha256}
 * file; later loads use the cache after checking it. An installation may ship converted files in
 * the folder named by the system property {@value #BUNDLED_PROPERTY}.
 *
 * <p>Loading is all-or-nothing: every tensor's presence and shape is checked before any parameter
 * is changed, so a file that does not fit never leaves a half-loaded network.
 */
public final class TeacherWeights {
    /** System property: path of a local {@code nsfwjs-4.3.0.tgz}. */
    public static final String TARBALL_PROPERTY = "dmdd.nsfwjs.tarball";
    /** System property: folder of weights files shipped with the installation. */
    public static final String BUNDLED_PROPERTY = "dmdd.bundled.weights";
    /** System property the test set-up uses for the fixtures folder (holds {@code npm/nsfwjs-4.3.0.tgz}). */
    static final String FIXTURES_PROPERTY = "dmdd.fixtures";

    /** MIT notice of the nsfwjs weights, recorded wherever they are used. */
    public static final String NSFWJS_NOTICE = "MobileNetV2 weights from nsfwjs 4.3.0, Copyright (c) 2019 Infinite Red,"
            + " Inc., MIT License (see THIRD-PARTY-NOTICES.txt)";

    /**
     * A pinned weights file on the Hugging Face hub.
     *
     * @param repository hub repository, e.g. {@code timm/resnet18.tv_in1k}
     * @param revision   the repository commit the file is taken from ({@code main} while unknown)
     * @param file       file in the repository
     * @param sha256     pinned SHA-256, or {@code null} while the pin is not known
     */
    public record HubFile(String repository, String revision, String file, String sha256) {
        /** @return the download URL */
        public URI uri() {
            return URI.create("https://huggingface.co/" + repository + "/resolve/" + revision + "/" + file);
        }
    }

    /**
     * torchvision ResNet-18 ImageNet weights (timm {@code resnet18.tv_in1k}, BSD-3-Clause,
     * 46,807,446 bytes). The revision and SHA-256 were taken from another project's pin of the
     * same file; they could not be checked against the hub here (no network).
     */
    public static final HubFile RESNET18_HUB = new HubFile("timm/resnet18.tv_in1k",
            "bbd144b3e5565108aad885f145491d11bc6ce807", "model.safetensors",
            "694f673df6520a3158624e8a89af086f59923ee4cd7436fe5bc3bc71d295ad81");
    /**
     * torchvision WideResNet-50-2 ImageNet weights (timm {@code wide_resnet50_2.tv_in1k},
     * BSD-3-Clause). PIN UNKNOWN: the SHA-256 could not be looked up where this was written; until
     * it is filled in, downloads and imports are checked tensor by tensor only, and the reported
     * origin says that the checksum was not checked (and what it was).
     */
    public static final HubFile WIDE_RESNET50_2_HUB =
            new HubFile("timm/wide_resnet50_2.tv_in1k", "main", "model.safetensors", null);

    private TeacherWeights() {
    }

    /**
     * A weights file ready to load and where it came from.
     *
     * @param file   the safetensors file
     * @param origin its origin (source, checksum, description)
     */
    public record WeightsFile(Path file, WeightsOrigin origin) {
    }

    /**
     * @param kind a backbone
     * @return the name of its weights file in the cache folder
     */
    public static String cacheFileName(BackboneKind kind) {
        return switch (kind) {
            case MOBILENET_V2, MOBILENET_V2_140 -> kind.cliName().replace("_", "-") + "-"
                    + NsfwjsConverter.PACKAGE_NAME + "-" + NsfwjsConverter.PACKAGE_VERSION + ".safetensors";
            case RESNET18 -> "resnet18.tv_in1k.safetensors";
            case WIDE_RESNET50_2 -> "wide_resnet50_2.tv_in1k.safetensors";
        };
    }

    /**
     * @param kind a torchvision backbone
     * @return its pinned hub file
     * @throws IllegalArgumentException for MobileNetV2 (which comes from npm)
     */
    public static HubFile hubFile(BackboneKind kind) {
        return switch (kind) {
            case RESNET18 -> RESNET18_HUB;
            case WIDE_RESNET50_2 -> WIDE_RESNET50_2_HUB;
            case MOBILENET_V2, MOBILENET_V2_140 ->
                    throw new IllegalArgumentException("MobileNetV2 weights come from nsfwjs on npm");
        };
    }

    /**
     * Finds or fetches the weights for a backbone: the verified cache, a bundled file, then (for
     * MobileNetV2) a local or downloaded nsfwjs tarball, or (for the others) the hub download.
     *
     * @param kind     the backbone
     * @param cacheDir the weights cache folder (created when needed)
     * @param progress receives download and conversion progress
     * @return the file to load and its origin
     * @throws IOException when no source works; the message says how to supply the weights
     */
    public static WeightsFile obtain(BackboneKind kind, Path cacheDir, DownloadProgress progress) throws IOException {
        String name = cacheFileName(kind);
        Path cached = cacheDir.resolve(name);
        String cachedSha = verifiedChecksum(cached);
        if (cachedSha != null) {
            return new WeightsFile(cached, new WeightsOrigin(WeightsOrigin.Source.CACHE, cached, cachedSha,
                    describe(kind) + ", cached at " + cached));
        }
        String bundledDir = System.getProperty(BUNDLED_PROPERTY);
        if (bundledDir != null && !bundledDir.isBlank()) {
            Path bundled = Path.of(bundledDir).resolve(name);
            String bundledSha = verifiedChecksum(bundled);
            if (bundledSha != null) {
                return new WeightsFile(bundled, new WeightsOrigin(WeightsOrigin.Source.BUNDLED, bundled, bundledSha,
                        describe(kind) + ", shipped with the installation at " + bundled));
            }
        }
        if (kind.fromNsfwjs()) {
            return convertNsfwjs(kind, cached, progress);
        }
        return downloadFromHub(kind, cached, progress);
    }

    /**
     * Imports weights from a local file into the cache (air-gapped machines): a torchvision
     * safetensors file for ResNet-18/WideResNet-50-2, or for MobileNetV2 the nsfwjs tarball or a
     * converted safetensors file. The file is checked completely (pinned checksum where known,
     * every tensor and shape) before it replaces the cached one.
     *
     * @param kind     the backbone the file is for
     * @param source   the file
     * @param cacheDir the weights cache folder
     * @param manager  a manager for the check (its arrays are released before returning)
     * @return the cached file and its origin
     * @throws IOException naming the file and the problem when it does not fit
     */
    public static WeightsFile importFile(BackboneKind kind, Path source, Path cacheDir, NDManager manager)
            throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new TeacherWeightsException("weights file not found: " + source);
        }
        Path cached = cacheDir.resolve(cacheFileName(kind));
        String sha = WeightFiles.sha256(source);
        boolean tarball = NsfwjsConverter.TARBALL_SHA256.equals(sha);
        if (tarball && !kind.fromNsfwjs()) {
            throw new TeacherWeightsException(source + " is " + NsfwjsConverter.tarballFileName() + ", which holds the "
                    + "weights of " + BackboneKind.MOBILENET_V2.cliName() + " and "
                    + BackboneKind.MOBILENET_V2_140.cliName() + ", not of " + kind.cliName());
        }
        // the tarball by its content, whatever its name; a damaged one by its name, so that the converter says so
        if (kind.fromNsfwjs() && (tarball || source.getFileName().toString().endsWith(".tgz")
                && !sha.equals(NsfwjsConverter.convertedSha256(kind)))) {
            NsfwjsConverter.convert(kind, source, cached);
        } else {
            String pinned = kind.fromNsfwjs() ? NsfwjsConverter.convertedSha256(kind)
                    : hubFile(kind).sha256();
            if (pinned != null && !pinned.equals(sha)) {
                throw new TeacherWeightsException(source + " has the wrong checksum for " + kind.cliName()
                        + ": SHA-256 " + sha + ", expected " + pinned + " (" + (kind.fromNsfwjs()
                        ? "the conversion of " + NsfwjsConverter.tarballFileName() + "; importing the tarball "
                                + "itself converts it here" : hubFile(kind).uri()) + ")");
            }
            try (NDManager scratch = manager.newSubManager()) {
                BackboneBlock probe = Teachers.create(kind, false);
                probe.initializeParameters(scratch);
                load(probe, source, sha, new WeightsOrigin(WeightsOrigin.Source.FILE, source, sha, source.toString()),
                        scratch);
            }
            AtomicFiles.write(cached, out -> Files.copy(source, out));
            writeChecksumFile(cached);
        }
        String cachedSha = WeightFiles.sha256(cached);
        boolean unpinned = !kind.fromNsfwjs() && hubFile(kind).sha256() == null;
        return new WeightsFile(cached, new WeightsOrigin(WeightsOrigin.Source.LOCAL_IMPORT, cached, cachedSha,
                describe(kind) + ", imported from " + source + " into " + cached
                        + (unpinned ? " (SHA-256 " + cachedSha + " not checked: no pin is recorded yet)" : "")));
    }

    /**
     * Loads a safetensors file into an initialised network. Nothing is changed unless every tensor
     * the network needs is present with the right shape (extra tensors, such as a classifier the
     * network does not have, are ignored).
     *
     * @param network        the network, with {@link BackboneBlock#initializeParameters} done
     * @param file           the safetensors file
     * @param expectedSha256 the file's required SHA-256, or {@code null} to skip that check
     * @param origin         recorded in the network after a successful load
     * @param manager        a manager for the temporary arrays (released before returning)
     * @throws IOException naming the file and every tensor that does not fit
     */
    public static void load(BackboneBlock network, Path file, String expectedSha256, WeightsOrigin origin,
                            NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TeacherWeightsException("weights file not found: " + file);
        }
        if (expectedSha256 != null) {
            String actual = WeightFiles.sha256(file);
            if (!expectedSha256.equalsIgnoreCase(actual)) {
                throw new TeacherWeightsException("weights file " + file + " has the wrong checksum: SHA-256 " + actual
                        + ", expected " + expectedSha256 + "; the file is damaged or holds other weights");
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDList tensors = readSafetensors(file, scratch);
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray array : tensors) {
                byName.put(array.getName(), array);
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Parameter> entry : network.namedTensors().entrySet()) {
                Shape needed = entry.getValue().getShape();
                if (needed == null) {
                    throw new IllegalStateException("initialise the network before loading weights");
                }
                NDArray array = byName.get(entry.getKey());
                if (array == null) {
                    problems.add("tensor '" + entry.getKey() + "' is missing");
                } else if (!array.getShape().equals(needed)) {
                    problems.add("tensor '" + entry.getKey() + "' has shape " + array.getShape()
                            + ", the network needs " + needed);
                } else if (!array.getDataType().isFloating()) {
                    problems.add("tensor '" + entry.getKey() + "' holds " + array.getDataType()
                            + " values, not floating point");
                } else if (array.isNaN().any().getBoolean() || array.isInfinite().any().getBoolean()) {
                    // a damaged file: a teacher with such a weight turns every map into NaN
                    problems.add("tensor '" + entry.getKey() + "' holds values that are not finite numbers");
                }
            }
            if (!problems.isEmpty()) {
                int shown = Math.min(problems.size(), 5);
                throw new TeacherWeightsException("weights file " + file + " does not fit " + network.kind().cliName()
                        + ": " + String.join("; ", problems.subList(0, shown))
                        + (problems.size() > shown ? " (and " + (problems.size() - shown) + " more)" : "")
                        + "; nothing was loaded");
            }
            for (Map.Entry<String, Parameter> entry : network.namedTensors().entrySet()) {
                NDArray array = byName.get(entry.getKey());
                NDArray values = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
                values.copyTo(entry.getValue().getArray());
            }
        }
        network.freezeParameters(true);
        network.foldForInference();
        network.setWeightsOrigin(origin);
    }

    /** Reads a safetensors file, each array named after its tensor. */
    private static NDList readSafetensors(Path file, NDManager manager) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new TeacherWeightsException("weights file " + file + " is not a readable safetensors file: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code <file>.sha256} (the file's SHA-256 and name, as {@code sha256sum} prints them).
     *
     * @param file a weights file
     * @throws IOException when the file cannot be read or the checksum file written
     */
    static void writeChecksumFile(Path file) throws IOException {
        String line = WeightFiles.sha256(file) + "  " + file.getFileName() + "\n";
        AtomicFiles.write(checksumFile(file), out -> out.write(line.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the file's SHA-256 when it exists and matches its {@code .sha256} file, else {@code null} */
    static String verifiedChecksum(Path file) throws IOException {
        Path sidecar = checksumFile(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(sidecar)) {
            return null;
        }
        String recorded = Files.readString(sidecar, StandardCharsets.UTF_8).trim().split("\\s+")[0]
                .toLowerCase(Locale.ROOT);
        String actual = WeightFiles.sha256(file);
        return actual.equals(recorded) ? actual : null;
    }

    private static Path checksumFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    private static WeightsFile convertNsfwjs(BackboneKind kind, Path cached, DownloadProgress progress)
            throws IOException {
        String tarballName = NsfwjsConverter.tarballFileName();
        Path local = localTarball(cached.getParent());
        WeightsOrigin.Source source;
        Path tarball;
        boolean downloaded = false;
        if (local != null) {
            tarball = local;
            source = WeightsOrigin.Source.NSFWJS_LOCAL_TARBALL;
        } else {
            URI uri = NpmRegistry.tarballUri(NsfwjsConverter.PACKAGE_NAME, NsfwjsConverter.PACKAGE_VERSION);
            tarball = cached.resolveSibling(tarballName);
            HttpDownload.download(uri, tarball, NsfwjsConverter.TARBALL_SHA256, "Downloading " + tarballName, progress);
            source = WeightsOrigin.Source.NSFWJS_DOWNLOADED_TARBALL;
            downloaded = true;
        }
        progress.update("Converting " + tarballName, 0, 1);
        NsfwjsConverter.convert(kind, tarball, cached);
        progress.update("Converting " + tarballName, 1, 1);
        if (downloaded) {
            // The converted files are all that is needed from now on: the other nsfwjs network too, so that choosing it
            // later does not download the tarball again.
            for (BackboneKind other : BackboneKind.values()) {
                Path otherFile = cached.resolveSibling(cacheFileName(other));
                if (other != kind && other.fromNsfwjs() && verifiedChecksum(otherFile) == null) {
                    try {
                        NsfwjsConverter.convert(other, tarball, otherFile);
                    } catch (IOException e) {
                        // not what was asked for: a later choice of it downloads the tarball again
                    }
                }
            }
            Files.deleteIfExists(tarball);
        }
        String sha = WeightFiles.sha256(cached);
        return new WeightsFile(cached, new WeightsOrigin(source, cached, sha, describe(kind)
                + ", converted from " + (downloaded ? "the downloaded " + tarballName : tarball) + " into " + cached));
    }

    /** @return a local nsfwjs tarball, or {@code null} when there is none */
    private static Path localTarball(Path cacheDir) throws TeacherWeightsException {
        String property = System.getProperty(TARBALL_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path given = Path.of(property);
            if (!Files.isRegularFile(given)) {
                throw new TeacherWeightsException("-D" + TARBALL_PROPERTY + " names " + given + ", which does not exist");
            }
            return given;
        }
        List<Path> candidates = new ArrayList<>();
        String fixtures = System.getProperty(FIXTURES_PROPERTY);
        if (fixtures != null && !fixtures.isBlank()) {
            candidates.add(Path.of(fixtures, "npm", NsfwjsConverter.tarballFileName()));
        }
        candidates.add(cacheDir.resolve(NsfwjsConverter.tarballFileName()));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static WeightsFile downloadFromHub(BackboneKind kind, Path cached, DownloadProgress progress)
            throws IOException {
        HubFile hub = hubFile(kind);
        String sha;
        try {
            sha = HttpDownload.download(hub.uri(), cached, hub.sha256(), "Downloading " + hub.repository(), progress);
        } catch (TeacherWeightsException e) {
            throw e;
        } catch (IOException e) {
            throw new TeacherWeightsException(e.getMessage() + ". Without internet, download " + hub.uri()
                    + " on another machine and import it: dmdd import-weights --backbone " + kind.cliName() + " FILE", e);
        }
        writeChecksumFile(cached);
        String pinNote = hub.sha256() == null ? " (SHA-256 " + sha + " not checked: no pin is recorded yet)" : "";
        return new WeightsFile(cached, new WeightsOrigin(WeightsOrigin.Source.HUB_DOWNLOAD, cached, sha,
                describe(kind) + ", downloaded from " + hub.uri() + pinNote + " into " + cached));
    }

    private static String describe(BackboneKind kind) {
        return switch (kind) {
            case MOBILENET_V2 -> "MobileNetV2 from nsfwjs@" + NsfwjsConverter.PACKAGE_VERSION
                    + " (Conv1 to block_10, ImageNet-initialised)"
                    + " (Copyright (c) 2019 Infinite Red, Inc., MIT License)";
            case MOBILENET_V2_140 -> "MobileNetV2 1.4 from nsfwjs@" + NsfwjsConverter.PACKAGE_VERSION
                    + " (its mobilenet_v2_mid model, Conv1 to block_10, ImageNet-initialised)"
                    + " (Copyright (c) 2019 Infinite Red, Inc., MIT License)";
            case RESNET18 -> "torchvision ResNet-18 ImageNet weights (BSD-3-Clause)";
            case WIDE_RESNET50_2 -> "torchvision WideResNet-50-2 ImageNet weights (BSD-3-Clause)";
        };
    }
}
