package dmdd.model.teacher;

import ai.djl.ndarray.NDManager;
import dmdd.model.paths.UserDataDirs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The way to get a teacher: builds the backbone, obtains its pretrained weights
 * ({@link TeacherWeights}) and returns it frozen (no gradients, batch norm on running statistics).
 * {@link Backbone#weightsOrigin()} says which source the weights came from.
 */
public final class Teachers {
    private Teachers() {
    }

    /**
     * Loads a frozen teacher with pretrained weights, fetching and caching them on first use.
     *
     * @param kind     which backbone
     * @param manager  owns the teacher's parameters (close it to release them)
     * @param cacheDir the weights cache folder, normally {@link UserDataDirs#weightsDir()}
     * @param progress receives download and conversion progress
     * @return the teacher, levels only (no classifier)
     * @throws IOException when the weights cannot be obtained or do not fit; the message says why
     *                     and how to supply them
     */
    public static Backbone load(BackboneKind kind, NDManager manager, Path cacheDir, DownloadProgress progress)
            throws IOException {
        TeacherWeights.WeightsFile weights = TeacherWeights.obtain(kind, cacheDir, progress);
        return fromFile(kind, false, weights.file(), null, weights.origin(), manager);
    }

    /**
     * {@link #load(BackboneKind, NDManager, Path, DownloadProgress)} with the user's cache folder
     * and no progress reports.
     *
     * @param kind    which backbone
     * @param manager owns the teacher's parameters
     * @return the teacher
     * @throws IOException when the weights cannot be obtained or do not fit
     */
    public static Backbone load(BackboneKind kind, NDManager manager) throws IOException {
        return load(kind, manager, UserDataDirs.weightsDir(), DownloadProgress.NONE);
    }

    /**
     * Builds a frozen backbone from a given safetensors file.
     *
     * @param kind           which backbone
     * @param withClassifier whether to build (and load) the classifier head too
     * @param file           the weights
     * @param expectedSha256 the file's required SHA-256, or {@code null}
     * @param origin         what to report as the weights' origin, or {@code null} for "this file"
     * @param manager        owns the parameters
     * @return the backbone
     * @throws IOException naming the file and tensor when the file does not fit
     */
    public static BackboneBlock fromFile(BackboneKind kind, boolean withClassifier, Path file, String expectedSha256,
                                         WeightsOrigin origin, NDManager manager) throws IOException {
        BackboneBlock network = create(kind, withClassifier);
        network.initializeParameters(manager);
        WeightsOrigin reported = origin != null ? origin
                : new WeightsOrigin(WeightsOrigin.Source.FILE, file, expectedSha256, "weights from " + file);
        TeacherWeights.load(network, file, expectedSha256, reported, manager);
        return network;
    }

    /**
     * Imports weights from a local file into the cache (see {@link TeacherWeights#importFile}).
     *
     * @param kind     the backbone the file is for
     * @param source   a torchvision safetensors file, or for MobileNetV2 the nsfwjs tarball
     * @param cacheDir the weights cache folder
     * @param manager  a manager for the check
     * @return the origin of the imported weights
     * @throws IOException when the file does not fit
     */
    public static WeightsOrigin importWeights(BackboneKind kind, Path source, Path cacheDir, NDManager manager)
            throws IOException {
        return TeacherWeights.importFile(kind, source, cacheDir, manager).origin();
    }

    /**
     * A frozen backbone with random weights, for benchmarks and tests of shapes.
     *
     * @param kind           which backbone
     * @param withClassifier whether to build the classifier head
     * @param manager        owns the parameters
     * @return the backbone
     */
    public static BackboneBlock untrained(BackboneKind kind, boolean withClassifier, NDManager manager) {
        BackboneBlock network = create(kind, withClassifier);
        network.initializeParameters(manager);
        network.freezeParameters(true);
        network.foldForInference();
        return network;
    }

    /**
     * Builds the network structure without parameters.
     *
     * @param kind           which backbone
     * @param withClassifier whether to build the classifier head
     * @return the uninitialised network
     */
    static BackboneBlock create(BackboneKind kind, boolean withClassifier) {
        return switch (kind) {
            case MOBILENET_V2, MOBILENET_V2_140 -> new MobileNetV2(kind, withClassifier);
            case RESNET18, WIDE_RESNET50_2 -> new ResNet(kind, withClassifier);
        };
    }
}
