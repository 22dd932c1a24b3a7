package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dmdd.datasets.image.PreparedImage;
import dmdd.datasets.image.Preprocessing;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.Discrepancy;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.FoldedBatchNorms;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.IntraOpThreads;
import dmdd.model.teacher.Backbone;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a trained model on images: for each one the three maps at the image's own resolution and the image score
 * ({@link AnomalyMaps}): DMDD's normality and abnormality branch maps and fused map; for the per-level methods
 * (baseline, AAND, DCAM) the fine-level (stride 4) and coarse-level (strides 8 and 16) discrepancy maps and their
 * sum. Images are processed in
 * batches; every intermediate array lives in a per-batch manager that is closed at once. Not
 * thread-safe: use one inspector per thread.
 */
public final class Inspector implements AutoCloseable {
    /** Images per forward pass when the caller does not choose. */
    public static final int DEFAULT_BATCH = 8;
    private final DmddNetworks networks;
    private final Backbone teacher;
    private final DmddSettings settings;
    private final Thresholds thresholds;
    private final ModelFolder model;
    private final NDManager owned;
    /** The owned weights' folded batch norms (they never change); live networks are folded per call. */
    private final FoldedBatchNorms folded;
    private final int batchSize;
    private final Preprocessing preprocessing;
    private final InspectionViews views;
    /** Kept between batches: its matrices are made once per list of level sizes. */
    private final BranchMapAssembler branchMaps;

    private Inspector(DmddNetworks networks, Backbone teacher, Thresholds thresholds, ModelFolder model,
            NDManager owned, int batchSize) {
        if (teacher.kind() != networks.settings().backboneKind()) {
            throw new IllegalArgumentException("the model needs the " + networks.settings().backbone()
                    + " teacher, got " + teacher.kind().cliName());
        }
        this.networks = networks;
        this.teacher = teacher;
        this.settings = networks.settings();
        this.views = new InspectionViews(settings.inspectionViews(), settings.inspectionShifts());
        this.branchMaps = new BranchMapAssembler(views, settings.imageSize(), settings.gaussianSigma());
        this.thresholds = thresholds;
        this.model = model;
        this.owned = owned;
        this.folded = owned != null ? networks.foldBatchNorms(owned) : null;
        this.batchSize = Math.max(1, batchSize);
        this.preprocessing = settings.preprocessing();
    }

    /**
     * Opens a saved model.
     *
     * @param modelDir the model folder
     * @param teacher  the teacher it needs ({@code ModelFolder.read(dir).teacher()} says which; load it
     *                 with {@code Teachers.load})
     * @return the inspector (close it to free the weights)
     * @throws ModelFolderException when the folder is missing, incomplete or from another version
     */
    public static Inspector open(Path modelDir, Backbone teacher) throws ModelFolderException {
        return open(ModelFolder.read(modelDir), teacher, DEFAULT_BATCH);
    }

    /**
     * Opens a saved model with a chosen batch size.
     *
     * @param model     a model folder's description
     * @param teacher   the teacher it needs
     * @param batchSize images per forward pass
     * @return the inspector
     * @throws ModelFolderException when the weights cannot be loaded
     */
    public static Inspector open(ModelFolder model, Backbone teacher, int batchSize) throws ModelFolderException {
        NDManager manager = DjlRuntime.engine().newBaseManager(DmddNetworks.deviceOf(teacher));
        try {
            return new Inspector(model.loadNetworks(manager), teacher, model.thresholds(), model, manager, batchSize);
        } catch (ModelFolderException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Wraps live networks (during training, to fit thresholds before the model is saved). The
     * inspector does not own them.
     *
     * @param networks   trained networks
     * @param teacher    their teacher
     * @param thresholds thresholds, or {@code null} when not fitted yet
     * @return the inspector
     */
    public static Inspector of(DmddNetworks networks, Backbone teacher, Thresholds thresholds) {
        return new Inspector(networks, teacher, thresholds, null, null, DEFAULT_BATCH);
    }

    /** @return the model's settings */
    public DmddSettings settings() {
        return settings;
    }

    /** @return the fitted thresholds and display ranges, or {@code null} when not fitted */
    public Thresholds thresholds() {
        return thresholds;
    }

    /** @return the model folder this inspector was opened from, or {@code null} */
    public ModelFolder model() {
        return model;
    }

    /** @return the preprocessing every input of this model goes through */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * @param image an image of any size
     * @return its maps and score
     */
    public AnomalyMaps inspect(RgbImage image) {
        return inspect(List.of(image)).get(0);
    }

    /**
     * Inspects images in batches; each is taken as the picture of a file with the same pixels
     * ({@link Preprocessing#picture}).
     *
     * @param images images of any size
     * @return one result per image, in order, each map at the image's own size
     */
    public List<AnomalyMaps> inspect(List<RgbImage> images) {
        List<RgbImage> pictures = new ArrayList<>(images.size());
        images.forEach(img -> pictures.add(preprocessing.picture(img)));
        List<NetworkMaps> maps = inspectPictures(pictures);
        List<AnomalyMaps> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(maps.get(i).at(images.get(i).width(), images.get(i).height()));
        }
        return out;
    }

    /**
     * Inspects decoded pictures ({@link PreparedImage#picture()}): a whole-image model shrinks each to its
     * input (batched across pictures); a tiled model brings each to the inspection scale, slides overlapping
     * tiles over it (batched), stitches the tiles' maps and scores the stitched fused map.
     *
     * @param pictures pictures as {@link Preprocessing#read} decodes them
     * @return the maps at network resolution and the scores, in order
     */
    public List<NetworkMaps> inspectPictures(List<RgbImage> pictures) {
        return inspectPictures(pictures, null);
    }

    /**
     * {@link #inspectPictures(List)}, reporting how far a tiled picture is (tiles done, tiles in all) after
     * every batch of tiles, so that a screen can show progress for an image that takes seconds.
     *
     * @param pictures pictures as {@link Preprocessing#read} decodes them
     * @param progress receives (picture index, fraction of its tiles done); may be null
     * @return the maps at network resolution and the scores, in order
     */
    public List<NetworkMaps> inspectPictures(List<RgbImage> pictures, TileProgress progress) {
        return withFoldedWeights(folds -> inspectPictures(pictures, progress, folds));
    }

    private List<NetworkMaps> inspectPictures(List<RgbImage> pictures, TileProgress progress, FoldedBatchNorms folds) {
        if (!preprocessing.isTiled()) {
            List<RgbImage> inputs = new ArrayList<>(pictures.size());
            pictures.forEach(p -> inputs.add(preprocessing.input(p)));
            return inspectInputs(inputs, folds);
        }
        List<NetworkMaps> out = new ArrayList<>(pictures.size());
        for (int p = 0; p < pictures.size(); p++) {
            RgbImage scaled = preprocessing.atScale(pictures.get(p));
            TileStitcher stitcher = new TileStitcher(scaled.width(), scaled.height(), settings.imageSize(),
                    settings.tileOverlap());
            List<int[]> origins = stitcher.origins();
            // A batch of tiles at a time: memory stays bounded whatever the image size.
            for (int i = 0; i < origins.size(); i += batchSize) {
                List<int[]> chunk = origins.subList(i, Math.min(origins.size(), i + batchSize));
                List<RgbImage> tiles = new ArrayList<>(chunk.size());
                chunk.forEach(o -> tiles.add(stitcher.cut(scaled, o)));
                List<NetworkMaps> maps = inspectInputs(tiles, folds);
                for (int k = 0; k < chunk.size(); k++) {
                    stitcher.add(chunk.get(k), maps.get(k));
                }
                if (progress != null) {
                    progress.update(p, (double) (i + chunk.size()) / origins.size());
                }
            }
            out.add(stitcher.stitched(this::score));
        }
        return out;
    }

    /** Progress inside tiled pictures. */
    @FunctionalInterface
    public interface TileProgress {
        /**
         * @param picture  index of the picture in the call
         * @param fraction share of its tiles done, in (0, 1]
         */
        void update(int picture, double fraction);
    }

    private double score(float[] fused) {
        return "max".equals(settings.imageScore()) ? FloatMaps.max(fused) : FloatMaps.topKMean(fused, settings.topK());
    }

    /**
     * Runs the networks on prepared inputs.
     *
     * @param inputs square network inputs ({@link Preprocessing#input}), {@code side x side}
     * @return the maps at network resolution and the scores, in order
     */
    public List<NetworkMaps> inspectInputs(List<RgbImage> inputs) {
        return withFoldedWeights(folds -> inspectInputs(inputs, folds));
    }

    private List<NetworkMaps> inspectInputs(List<RgbImage> inputs, FoldedBatchNorms folds) {
        IntraOpThreads.apply(settings.threads());
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            List<NetworkMaps> out = new ArrayList<>(inputs.size());
            // every image runs once per view and shift: fewer images per pass keep a pass at batchSize arrays (memory)
            int images = Math.max(1, batchSize / settings.passesPerInput());
            for (int i = 0; i < inputs.size(); i += images) {
                out.addAll(inspectBatch(inputs.subList(i, Math.min(inputs.size(), i + images)), folds));
            }
            return out;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Runs work with the networks' folded batch norms: the owned weights' (made once), or, for live networks
     * that may train again afterwards, ones made for this call only.
     */
    private <T> T withFoldedWeights(Function<FoldedBatchNorms, T> work) {
        if (folded != null) {
            return work.apply(folded);
        }
        try (FoldedBatchNorms forCall = networks.foldBatchNorms(weightsManager())) {
            return work.apply(forCall);
        }
    }

    private NDManager weightsManager() {
        return owned != null ? owned : networks.student().getParameters().valueAt(0).getArray().getManager();
    }

    private List<NetworkMaps> inspectBatch(List<RgbImage> inputs, FoldedBatchNorms folds) {
        int side = settings.imageSize();
        int plane = side * side;
        int n = inputs.size();
        float[] data = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            RgbImage input = inputs.get(i);
            if (input.width() != side || input.height() != side) {
                throw new IllegalArgumentException("network inputs must be " + side + " x " + side + ", got "
                        + input.width() + " x " + input.height() + "; prepare them with preprocessing()");
            }
            input.copyTo(data, i * 3 * plane);
        }
        float[] branches; // per image: its normality (or fine) map, then its abnormality (or coarse) map, blurred
        float[] fused;
        try (NDManager sm = weightsManager().newSubManager()) {
            ParameterStore ps = folds.parameterStore(sm);
            NDArray x = views.stack(teacher.normalize(sm.create(data, new Shape(n, 3, side, side))));
            NDList t = new NDList(teacher.forward(ps, new NDList(x), false).subList(0, 3));
            // AAND compares its student, which reads the amplified teacher features, with those features; every
            // other method compares a student of the image with the teacher
            NDList targets = networks.amplifier() != null ? networks.amplifier().forward(ps, t, false) : t;
            NDList s = networks.student().forward(ps, networks.amplifier() != null ? targets : new NDList(x), false);
            if (settings.isDmdd()) {
                NDList products = Discrepancy.unitProducts(t, s);
                branches = blurredBranchMaps(products.subList(0, 3), products.subList(3, 6));
                NDList segmenterInputs = Discrepancy.segmenterInputs(products, "product".equals(settings.segmenterInput()));
                NDArray logits = networks.segmenter().forward(ps, segmenterInputs, false).singletonOrThrow();
                fused = views.average(Activation.sigmoid(logits)).toFloatArray();
            } else {
                NDList products = Discrepancy.unitProducts(targets, s);
                branches = blurredBranchMaps(products.subList(0, 1), products.subList(1, 3));
                fused = null;
            }
        }
        List<NetworkMaps> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] norm = slice(branches, 2 * i, plane);
            float[] abn = slice(branches, 2 * i + 1, plane);
            float[] fus = settings.isDmdd() ? MapFusion.fuse(settings, slice(fused, i, plane), norm, abn, thresholds)
                    : sum(norm, abn);
            double score = score(fus);
            out.add(new NetworkMaps(side, side, norm, abn, fus, score));
        }
        return out;
    }

    /**
     * Both branch maps of a batch from their levels' feature products: each level's distance up-sampled to the input
     * side and summed, averaged over the views and blurred, as matrix products ({@link BranchMapAssembler}),
     * N x 2 x side x side.
     */
    private float[] blurredBranchMaps(List<NDArray> normalityLevels, List<NDArray> abnormalityLevels) {
        NDArray normality = branchMaps.assemble(Discrepancy.levelDistances(normalityLevels));
        NDArray abnormality = branchMaps.assemble(Discrepancy.levelDistances(abnormalityLevels));
        return NDArrays.stack(new NDList(normality, abnormality), 1).toFloatArray();
    }

    /** The per-level methods' fused map: fine plus coarse levels (blurring is linear, so this is the blurred sum). */
    private static float[] sum(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static float[] slice(float[] all, int index, int plane) {
        float[] out = new float[plane];
        System.arraycopy(all, index * plane, out, 0, plane);
        return out;
    }

    /** Frees the weights when this inspector loaded them; live networks stay with their owner. */
    @Override
    public void close() {
        if (folded != null) {
            folded.close();
        }
        if (owned != null) {
            owned.close();
        }
    }
}
