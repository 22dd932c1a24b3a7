package dmdd.model.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.PreparedImage;
import dmdd.datasets.image.Preprocessing;
import dmdd.datasets.image.UnreadableImageException;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.NetworkMaps;
import dmdd.model.infer.Thresholds;
import dmdd.model.infer.TileStitcher;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.DownloadProgress;
import dmdd.model.teacher.Teachers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The one inspection pipeline: file -> {@link Preprocessing} -> networks -> maps, score and verdict.
 * {@code infer}, {@code export}, {@code eval}, {@code bench} and the workstation's inspection and
 * measure screens all inspect through it, so the same file gets the same score everywhere. The output
 * side only chooses the size of the picture and maps handed back; the score never depends on it.
 * Not thread-safe: one pipeline per thread.
 */
public final class InspectionPipeline implements AutoCloseable {
    /** Output side meaning "the decoded picture as it is". */
    public static final int FULL_SIZE = Integer.MAX_VALUE;

    private final Inspector inspector;
    private final NDManager teacherManager;
    private Inspector.TileProgress tileProgress;

    private InspectionPipeline(Inspector inspector, NDManager teacherManager) {
        this.inspector = inspector;
        this.teacherManager = teacherManager;
    }

    /**
     * How many network passes one inspection costs: each view and shift of each tile. A whole image is one tile, a
     * zoomed one a fixed grid of tiles over its zoomed square; for camera tiling this is the cost of one tile (an
     * image needs as many tiles as its size).
     *
     * @param settings a model's settings
     * @return network passes per whole or zoomed image, or per camera tile
     */
    public static int passesPerImage(DmddSettings settings) {
        return settings.passesPerInput() * zoomTiles(settings);
    }

    /**
     * @param settings a model's settings
     * @return the tiles a zoomed whole image is inspected in (a fixed grid over its zoomed square), else 1
     */
    public static int zoomTiles(DmddSettings settings) {
        return !settings.isZoomed() ? 1 : new TileStitcher(settings.zoomedSide(), settings.zoomedSide(),
                settings.imageSize(), settings.tileOverlap()).origins().size();
    }

    /**
     * Opens a saved model with its teacher on a device.
     *
     * @param modelDir   the model folder
     * @param device     where to compute
     * @param weightsDir the teacher weights cache, or {@code null} for the user's
     * @param progress   teacher download progress (may be null)
     * @return the pipeline (close it to free the weights)
     * @throws IOException when the model or its teacher cannot be loaded
     */
    public static InspectionPipeline open(Path modelDir, Device device, Path weightsDir, DownloadProgress progress)
            throws IOException {
        return open(ModelFolder.read(modelDir), device, weightsDir, progress);
    }

    /**
     * Opens a model that was read already, with its teacher on a device. The batch job uses it to run a
     * model with the intra-op thread count its Spark task was given ({@code model} with other
     * {@code threads} settings); everything else about the model stays as saved.
     *
     * @param model      the model folder as read (its settings are the ones inspection uses)
     * @param device     where to compute
     * @param weightsDir the teacher weights cache, or {@code null} for the user's
     * @param progress   teacher download progress (may be null)
     * @return the pipeline (close it to free the weights)
     * @throws IOException when the model's weights or its teacher cannot be loaded
     */
    public static InspectionPipeline open(ModelFolder model, Device device, Path weightsDir, DownloadProgress progress)
            throws IOException {
        NDManager manager = DjlRuntime.engine().newBaseManager(device);
        try {
            Backbone teacher = weightsDir == null ? Teachers.load(model.teacher(), manager)
                    : Teachers.load(model.teacher(), manager, weightsDir,
                            progress == null ? DownloadProgress.NONE : progress);
            return new InspectionPipeline(Inspector.open(model, teacher, Inspector.DEFAULT_BATCH), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Wraps an open inspector (its owner keeps and closes it).
     *
     * @param inspector an inspector with thresholds
     * @return the pipeline
     */
    public static InspectionPipeline of(Inspector inspector) {
        return new InspectionPipeline(inspector, null);
    }

    /** @return the inspector underneath */
    public Inspector inspector() {
        return inspector;
    }

    /** @return the model folder, or {@code null} for a wrapped live inspector */
    public ModelFolder model() {
        return inspector.model();
    }

    /** @return the model's settings */
    public DmddSettings settings() {
        return inspector.settings();
    }

    /** @return the model's calibrated thresholds */
    public Thresholds thresholds() {
        return inspector.thresholds();
    }

    /** @return the preprocessing of this model's inputs */
    public Preprocessing preprocessing() {
        return inspector.preprocessing();
    }

    /**
     * Inspects one file.
     *
     * @param file       an image file
     * @param outputSide longest side of the picture and maps handed back ({@link #FULL_SIZE}: as decoded)
     * @return the inspection
     * @throws IOException naming the file when it cannot be read or gives no finite score
     */
    public Inspection inspect(Path file, int outputSide) throws IOException {
        return inspect(file, outputSide, null);
    }

    /**
     * Inspects one file, reporting how far a tiled inspection is.
     *
     * @param file       an image file
     * @param outputSide longest side of the picture and maps handed back ({@link #FULL_SIZE}: as decoded)
     * @param progress   receives the share of the image's tiles done (tiled models only); may be null
     * @return the inspection
     * @throws IOException naming the file when it cannot be read or gives no finite score
     */
    public Inspection inspect(Path file, int outputSide, java.util.function.DoubleConsumer progress)
            throws IOException {
        tileProgress = progress == null ? null : (picture, fraction) -> progress.accept(fraction);
        try {
            return inspectOne(file, outputSide);
        } finally {
            tileProgress = null;
        }
    }

    private Inspection inspectOne(Path file, int outputSide) throws IOException {
        List<Inspection> out = new ArrayList<>(1);
        List<IOException> failures = new ArrayList<>(1);
        inspectFiles(List.of(file), outputSide, new Receiver() {
            @Override
            public void inspected(Inspection inspection) {
                out.add(inspection);
            }

            @Override
            public void failed(Path f, IOException reason) {
                failures.add(reason);
            }
        }, null);
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return out.get(0);
    }

    /** Receives the results of {@link #inspectFiles}, in input order. */
    public interface Receiver {
        /**
         * @param inspection one inspected image
         * @throws IOException when the receiver fails to store it (stops the run)
         */
        void inspected(Inspection inspection) throws IOException;

        /**
         * @param file   an image that has no result
         * @param reason why (unreadable file, non-finite score), naming the file
         * @throws IOException when the receiver fails (stops the run)
         */
        void failed(Path file, IOException reason) throws IOException;
    }

    /** Decoded picture pixels one batch of {@link #inspectFiles} holds at most (besides its last image). */
    static final long PICTURE_PIXELS_PER_BATCH = 16_000_000L;

    /** Reads one image into its picture and network input. */
    @FunctionalInterface
    interface Reader {
        PreparedImage read(Path file) throws UnreadableImageException;
    }

    /**
     * The next batch of files, read: up to {@code batch} images, fewer when their pictures are large. A tiled model
     * keeps each picture at full resolution (a 100-megapixel frame is 1.2 GB of floats); eight of them would not fit
     * in memory, so a batch ends once its pictures reach {@code pixelBudget} pixels.
     *
     * @param files    the files read so far and next
     * @param prepared the images read (the readable files, in order)
     * @param slots    per file, its {@link PreparedImage} or its {@link UnreadableImageException}
     * @param next     index of the first file of the next batch
     */
    record ReadChunk(List<Path> files, List<PreparedImage> prepared, List<Object> slots, int next) {
        static ReadChunk of(List<Path> all, int from, int batch, long pixelBudget, Reader reader) {
            List<Path> files = new ArrayList<>(batch);
            List<PreparedImage> prepared = new ArrayList<>(batch);
            List<Object> slots = new ArrayList<>(batch);
            long pixels = 0;
            int i = from;
            while (i < all.size() && files.size() < batch && pixels < pixelBudget) {
                Path f = all.get(i++);
                files.add(f);
                try {
                    PreparedImage p = reader.read(f);
                    prepared.add(p);
                    slots.add(p);
                    pixels += (long) p.picture().width() * p.picture().height();
                } catch (UnreadableImageException e) {
                    slots.add(e);
                }
            }
            return new ReadChunk(files, prepared, slots, i);
        }
    }

    /**
     * Inspects files in batches.
     *
     * @param files      image files
     * @param outputSide longest side of the pictures and maps handed back
     * @param receiver   gets every result or failure, in input order
     * @param cancel     polled between batches, and for tiled pictures between batches of tiles (may be null); a
     *                   cancelled run throws {@link CancellationException}
     * @throws IOException when the receiver fails
     */
    public void inspectFiles(List<Path> files, int outputSide, Receiver receiver, BooleanSupplier cancel)
            throws IOException {
        Preprocessing preprocessing = preprocessing();
        // A tiled camera picture takes seconds to minutes: one a batch, and a stop asked for between its tiles, so
        // that Ctrl-C ends the run within the time its results are saved in (not after a batch of frames).
        int batch = preprocessing.isTiled() ? 1 : Inspector.DEFAULT_BATCH;
        Inspector.TileProgress reported = tileProgress;
        Inspector.TileProgress progress = cancel == null ? reported : (picture, fraction) -> {
            if (cancel.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            if (reported != null) {
                reported.update(picture, fraction);
            }
        };
        int i = 0;
        while (i < files.size()) {
            if (cancel != null && cancel.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            ReadChunk read = ReadChunk.of(files, i, batch, PICTURE_PIXELS_PER_BATCH, preprocessing::read);
            i = read.next();
            List<Path> chunk = read.files();
            List<PreparedImage> prepared = read.prepared();
            List<Object> slots = read.slots();
            List<NetworkMaps> maps;
            try {
                maps = prepared.isEmpty() ? List.of()
                        : preprocessing.isTiled()
                        ? inspector.inspectPictures(prepared.stream().map(PreparedImage::picture).toList(), progress)
                        // The inputs were made while reading: no second resize.
                        : inspector.inspectInputs(prepared.stream().map(PreparedImage::input).toList());
            } catch (OutOfMemoryError e) {
                if (!preprocessing.isTiled()) {
                    throw e; // whole-image inputs are small: this is no one picture's size
                }
                // A camera picture whose full-size maps do not fit (one a batch): it fails, the run goes on.
                maps = null;
            }
            int k = 0;
            for (int j = 0; j < chunk.size(); j++) {
                if (slots.get(j) instanceof UnreadableImageException e) {
                    receiver.failed(chunk.get(j), e);
                    continue;
                }
                PreparedImage p = prepared.get(k);
                NetworkMaps m = maps == null ? null : maps.get(k);
                k++;
                Inspection inspection;
                try {
                    if (m == null) {
                        throw tooLarge(p);
                    }
                    inspection = inspection(p, m, outputSide);
                } catch (NonFiniteResultException | UnreadableImageException e) {
                    receiver.failed(chunk.get(j), e);
                    continue;
                } catch (OutOfMemoryError e) {
                    receiver.failed(chunk.get(j), tooLarge(p));
                    continue;
                }
                receiver.inspected(inspection);
            }
        }
    }

    /** A picture whose maps do not fit in the memory Java may use. */
    private static UnreadableImageException tooLarge(PreparedImage p) {
        long pixels = (long) p.picture().width() * p.picture().height();
        return new UnreadableImageException(p.file(), String.format(java.util.Locale.ROOT, "too large to inspect in "
                + "the memory available (%d x %d px: its three maps take %.1f GB each time they are held; give Java "
                + "more memory with -Xmx, or inspect it at a smaller --scale)", p.picture().width(),
                p.picture().height(), 3 * 4.0 * pixels / 1e9), null);
    }

    private Inspection inspection(PreparedImage p, NetworkMaps m, int outputSide) throws NonFiniteResultException {
        if (!allFinite(m)) {
            throw new NonFiniteResultException(p.file());
        }
        Verdict verdict = Verdict.of(m.score(), thresholds());
        var picture = ImageReader.fit(p.picture(), outputSide);
        AnomalyMaps at = m.at(picture.width(), picture.height());
        String odd = preprocessing().sizeWarning(p.originalWidth(), p.originalHeight());
        if (odd == null) {
            odd = areaWarning(p.picture().width(), p.picture().height());
        }
        return new Inspection(p.file(), picture, m, at, verdict, p.originalWidth(), p.originalHeight(),
                odd == null ? null : odd + "; its verdict is less sure");
    }

    /** How far apart two picture areas may be before a tiled score is said to be on another footing. */
    static final double AREA_RATIO_WARNED = 2.0;

    /**
     * Why a camera picture's score is not on the footing of the thresholds, or null: a tiled image's score is the
     * mean of its highest pixels, which grows with the picture's area, and the thresholds were fitted on normal
     * images of another size.
     */
    private String areaWarning(int width, int height) {
        ModelFolder model = model();
        Long fitted = model == null || model.training() == null ? null : model.training().calibrationPixels();
        if (fitted == null || fitted <= 0 || !(preprocessing().scale() > 0)) {
            return null;
        }
        double ratio = (double) width * height / fitted;
        if (ratio <= AREA_RATIO_WARNED && ratio >= 1 / AREA_RATIO_WARNED) {
            return null;
        }
        long side = Math.round(Math.sqrt(fitted));
        return ratio > 1
                ? String.format(java.util.Locale.ROOT, "is %d x %d px, %.1f times the area of the normal images the "
                        + "thresholds were fitted on (about %d x %d px): it scores higher than they would (more false "
                        + "alarms)", width, height, ratio, side, side)
                : String.format(java.util.Locale.ROOT, "is %d x %d px, %.2f of the area of the normal images the "
                        + "thresholds were fitted on (about %d x %d px): it scores lower than they would (more misses)",
                        width, height, ratio, side, side);
    }

    private static boolean allFinite(NetworkMaps m) {
        if (!Double.isFinite(m.score())) {
            return false;
        }
        for (float[] map : new float[][] {m.normality(), m.abnormality(), m.fused()}) {
            for (float v : map) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An image whose score or maps are not finite numbers: an error, never a verdict. */
    public static final class NonFiniteResultException extends IOException {
        /** Words every such message holds, for output that keeps only the message (a batch table's error column). */
        public static final String WORDS = "a score or map that is not a finite number";
        private static final long serialVersionUID = 1L;

        NonFiniteResultException(Path file) {
            super(file + ": the model gave " + WORDS + " (NaN or infinite); its weights may be damaged, so no "
                    + "verdict is given");
        }
    }

    /** Frees the model and teacher when this pipeline opened them. */
    @Override
    public void close() {
        if (teacherManager != null) {
            inspector.close();
            teacherManager.close();
        }
    }
}
