package dmdd.app.testing;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny trained model on the tiny sample category (64 px, a few steps), trained once per test JVM and
 * shared by the tests that need a real model (export, import, metrics). Never modify these folders;
 * copy them.
 */
public final class TinyModel {
    private static TinyModel instance;

    private final Path category;
    private final Path model;

    private TinyModel(Path category, Path model) {
        this.category = category;
        this.model = model;
    }

    /** @return the shared tiny model (trained on first use) */
    public static synchronized TinyModel get() {
        if (instance == null) {
            try {
                Path root = TempFolders.create("dmdd-tiny-model");
                Path category = SampleDataset.generateTiny(root.resolve("data"));
                Path model = root.resolve("model");
                DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 2,
                        "studentSteps", 2, "segmenterSteps", 2, "seed", 7L, "threads", 1));
                List<RgbImage> normals = MvtecCategory.open(category).loadTrainGood(new ImageReader(64)).loaded()
                        .stream().map(l -> l.image()).toList();
                DjlRuntime.engine();
                try (NDManager manager = NDManager.newBaseManager()) {
                    TrainingJob.run(settings, normals, Teachers.load(settings.backboneKind(), manager), model,
                            null, null, false);
                }
                instance = new TinyModel(category, model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** @return the tiny MVTec category folder ({@code .../data/sample_fabric_tiny}) */
    public Path category() {
        return category;
    }

    /** @return the trained model folder */
    public Path model() {
        return model;
    }

    /**
     * Makes a workstation project from the tiny category: its test images as {@code inspect/<type>/},
     * its masks as {@code ground_truth/}, its normal images as {@code normal/} and the trained model as
     * {@code model/} (the layout an MVTec import gives).
     *
     * @param project the project folder to create
     * @param withModel whether to copy the trained model
     * @return the project folder
     * @throws IOException when copying fails
     */
    public Path project(Path project, boolean withModel) throws IOException {
        copyTree(category.resolve("test"), project.resolve("inspect"));
        copyTree(category.resolve("ground_truth"), project.resolve("ground_truth"));
        copyTree(category.resolve("train/good"), project.resolve("normal"));
        if (withModel) {
            copyTree(model, project.resolve("model"));
        }
        return project;
    }

    /**
     * Copies a folder tree.
     *
     * @param from source folder
     * @param to   target folder (created)
     * @return the target
     * @throws IOException when copying fails
     */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }
}
