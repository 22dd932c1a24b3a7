package dmdd.app.gui.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.ProjectImporter;
import dmdd.model.project.ProjectStore;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspection screen's state without a window. */
class InspectionViewModelTest {

    private static Project sample(Path folder) throws Exception {
        Project project = ProjectStore.create(folder.resolve("project"), "Tiny");
        new ProjectImporter(project).importMvtecCategory(SampleDataset.generateTiny(folder.resolve("data")));
        return project;
    }

    /** The sample project, inspected once on a screen (its scores saved). */
    private static Project inspectedSample(Path folder, ScriptedInspectionEngine engine) throws Exception {
        Project project = sample(folder);
        InspectionViewModel first = opened(engine, project);
        first.inspectAll(false);
        return project;
    }

    @Test
    void aProjectsWholeSetOfLabelsArrivesAsOneChange(@TempDir Path folder) throws Exception {
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        Project project = inspectedSample(folder, engine);
        InspectionViewModel model = opened(engine, project);
        model.setImageThresholds(0.0, 0.0); // every image flagged: all of them are in the review queue
        int[] changes = {0};
        model.decisionsRevisionProperty().addListener(obs -> changes[0]++);
        int[] texts = {0};
        model.reviewTextProperty().addListener(obs -> texts[0]++);
        // the labels Annotate holds for a large project: one per image and thousands more the gallery does not show
        java.util.Map<Path, dmdd.datasets.annotation.Label> labels = new java.util.HashMap<>();
        for (int i = 0; i < 3000; i++) {
            labels.put(folder.resolve("elsewhere/" + i + ".png"), dmdd.datasets.annotation.Label.UNLABELLED);
        }
        model.items().forEach(item -> labels.put(item.image().file(), dmdd.datasets.annotation.Label.OK));
        model.showDecisions(labels);
        // each of the map's 3 000-odd entry events recounted every image and redrew every gallery cell
        assertThat(changes[0]).isEqualTo(1);
        assertThat(texts[0]).isLessThanOrEqualTo(1);
        assertThat(model.reviewTextProperty().get()).isEqualTo("Review (all " + model.items().size() + " decided)");
        model.showDecisions(labels);
        assertThat(changes[0]).as("the same labels again: no change").isEqualTo(1);
        // one decision is one change too
        model.selectedProperty().set(model.items().get(0));
        model.decide(dmdd.datasets.annotation.Label.DEFECT);
        assertThat(changes[0]).isEqualTo(2);
    }

    @Test
    void savedScoresHoldOnlyForTheirModelAndTheImageFilesAsTheyWere(@TempDir Path folder) throws Exception {
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        Project project = inspectedSample(folder, engine);
        int total = project.inspectImages().size();

        InspectionViewModel reopened = opened(engine, project);
        assertThat(reopened.items()).as("the same model, the same files").allMatch(InspectedItem::isInspected);

        // An image replaced under its name (a later photo of the part): its score is the old picture's.
        Path replaced = project.inspectImages().get(0).file();
        Files.setLastModifiedTime(replaced, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(replaced).toMillis() + 60_000));
        reopened.show(project, project.inspectImages());
        assertThat(reopened.items()).filteredOn(item -> !item.isInspected()).extracting(i -> i.image().file())
                .containsExactly(replaced);

        // A model trained or imported outside this window (the command line): no saved score is its own.
        engine.modelId = "scripted-model-2";
        reopened.show(project, project.inspectImages());
        assertThat(reopened.items()).noneMatch(InspectedItem::isInspected);
        reopened.inspectAll(false);
        assertThat(engine.inspections.get()).isEqualTo(2 * total);
    }

    @Test
    void aPictureReplacedWhileItIsInspectedIsNotSavedWithTheOldPicturesScore(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        Path replaced = project.inspectImages().get(0).file();
        ScriptedInspectionEngine camera = new ScriptedInspectionEngine() {
            @Override
            public ImageInspection inspect(Project p, Path file) throws Exception {
                ImageInspection result = super.inspect(p, file);
                if (file.equals(replaced)) {
                    // the camera writes the next part's picture under the same name while this one is scored
                    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                            Files.getLastModifiedTime(file).toMillis() + 60_000));
                }
                return result;
            }
        };
        InspectionViewModel first = opened(camera, project);
        first.inspectAll(false);
        assertThat(first.items()).allMatch(InspectedItem::isInspected);

        InspectionViewModel reopened = opened(new ScriptedInspectionEngine(), project);
        assertThat(reopened.items()).filteredOn(item -> !item.isInspected()).extracting(i -> i.image().file())
                .as("the new picture is inspected again, not shown with the old one's verdict")
                .containsExactly(replaced);
    }

    @Test
    void aModelReplacedOutsideTheWorkstationIsLoadedAgainNotJudgedByTheOldThresholds(@TempDir Path folder)
            throws Exception {
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        Project project = sample(folder);
        InspectionViewModel model = opened(engine, project);
        assertThat(model.calibrationProperty().get().modelId()).isEqualTo("scripted-model-1");

        engine.modelId = "scripted-model-2"; // dmdd improve wrote another model into the project's folder
        model.inspectAll(false);
        assertThat(model.calibrationProperty().get().modelId()).as("the new model's own thresholds")
                .isEqualTo("scripted-model-2");
        assertThat(model.items()).as("no score judged by the old model's thresholds").noneMatch(InspectedItem::isInspected);
        assertThat(model.messageProperty().get()).contains("replaced outside the workstation");
        model.inspectAll(false);
        assertThat(model.items()).allMatch(InspectedItem::isInspected);
    }

    @Test
    void aModelReplacedAfterEveryImageHasAScoreIsFoundByInspectAll(@TempDir Path folder) throws Exception {
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        Project project = sample(folder);
        InspectionViewModel model = opened(engine, project);
        model.inspectAll(false);
        assertThat(model.items()).allMatch(InspectedItem::isInspected);

        // nothing is left to inspect, so no inspection would notice: the run asks the folder first
        engine.modelId = "scripted-model-2";
        model.inspectAll(false);
        assertThat(model.calibrationProperty().get().modelId()).isEqualTo("scripted-model-2");
        assertThat(model.items()).noneMatch(InspectedItem::isInspected);
        assertThat(model.messageProperty().get()).contains("replaced outside the workstation");
    }

    @Test
    void inspectAllScoresAgainAPictureWrittenAgainOrDeletedSinceItsScore(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = opened(engine, project);
        model.inspectAll(false);
        int total = engine.inspections.get();
        Path rewritten = project.inspectImages().get(0).file();
        Path deleted = project.inspectImages().get(1).file();
        Path source = project.inspectImages().get(2).file();
        // the camera writes the next part under the same name; another picture is removed
        Files.copy(source, rewritten, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(rewritten, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(rewritten).toMillis() + 60_000));
        Files.delete(deleted);
        model.inspectAll(false);
        assertThat(engine.inspections.get() - total).as("only the two that changed").isEqualTo(2);
        double copied = model.items().stream().filter(i -> i.image().file().equals(source)).findFirst()
                .orElseThrow().score();
        assertThat(model.items()).filteredOn(i -> i.image().file().equals(rewritten)).singleElement()
                .satisfies(i -> assertThat(i.score()).isEqualTo(copied));
        assertThat(model.items()).filteredOn(i -> i.image().file().equals(deleted)).singleElement()
                .satisfies(i -> assertThat(i.isInspected()).as("no score of a picture that is gone").isFalse());
        assertThat(model.messageProperty().get()).contains("1 could not be read");
    }

    @Test
    void aSelectedPictureWrittenAgainSinceItsScoreIsInspectedAgainNotShownFromTheCache(@TempDir Path folder)
            throws Exception {
        Project project = sample(folder);
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = opened(engine, project);
        model.inspectAll(false);
        Path rewritten = project.inspectImages().get(0).file();
        Path source = project.inspectImages().stream().map(ProjectImage::file)
                .filter(f -> score(model, f) != score(model, rewritten)).findFirst().orElseThrow();
        select(model, rewritten);
        select(model, source);
        int total = engine.inspections.get();
        // the camera writes the next part under the same name while the person looks at another image
        Files.copy(source, rewritten, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(rewritten, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(rewritten).toMillis() + 60_000));
        select(model, rewritten);
        assertThat(engine.inspections.get() - total).as("inspected again, not taken from the cache").isEqualTo(1);
        assertThat(model.detailProperty().get().inspection().score()).isEqualTo(score(model, source));
        assertThat(score(model, rewritten)).as("the gallery's score is the new picture's").isEqualTo(score(model, source));
        select(model, source);
        select(model, rewritten);
        assertThat(engine.inspections.get() - total).as("unchanged since: from the cache").isEqualTo(1);
    }

    /** A screen on the project's images, inspected inline. */
    private static InspectionViewModel opened(InspectionEngine engine, Project project) throws java.io.IOException {
        InspectionViewModel model = new InspectionViewModel(engine, BackgroundWork.inline());
        model.show(project, project.inspectImages());
        return model;
    }

    private static void select(InspectionViewModel model, Path file) {
        model.selectedProperty().set(model.items().stream().filter(i -> i.image().file().equals(file)).findFirst()
                .orElseThrow());
    }

    private static double score(InspectionViewModel model, Path file) {
        return model.items().stream().filter(i -> i.image().file().equals(file)).findFirst().orElseThrow().score();
    }

    @Test
    void aKeptModelVersionThatCannotBeReadIsNamedNotSilentlyLeftOut(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        Path damaged = Files.createDirectories(project.chosenModelDir().resolve("versions/v001"));
        Files.writeString(damaged.resolve("model.json"), "{\"method\": ");
        InspectionViewModel model = opened(new ScriptedInspectionEngine(), project);
        assertThat(model.versions()).noneMatch(v -> v.id().equals("v001"));
        assertThat(model.messageProperty().get()).contains("1 kept model version(s) cannot be read").contains("v001: ");
    }

    @Test
    void anUnreadableImageHasNoScoreAndInspectAllGoesOnPastIt(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        Path broken = project.inspectImages().get(1).file();
        Files.writeString(broken, "not a picture any more");
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = opened(engine, project);
        model.inspectAll(false);
        assertThat(model.items()).filteredOn(item -> !item.isInspected()).extracting(i -> i.image().file())
                .containsExactly(broken);
        assertThat(model.messageProperty().get()).contains("1 could not be read").contains(broken.getFileName().toString());
        int before = engine.inspections.get();
        model.inspectAll(false);
        assertThat(engine.inspections.get() - before).as("only the unreadable one is tried again").isEqualTo(1);
    }

    @Test
    void thresholdsRelabelTheGalleryWithoutRunningTheModelAgain(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = opened(engine, project);
        assertThat(model.imageThresholdProperty().get()).isEqualTo(0.35);
        assertThat(model.ngThresholdProperty().get()).isEqualTo(0.45);
        assertThat(model.pixelThresholdProperty().get()).isEqualTo(0.3);

        model.inspectAll(false);
        int total = project.inspectImages().size();
        assertThat(engine.inspections.get()).isEqualTo(total);
        assertThat(model.items()).allMatch(InspectedItem::isInspected);
        assertThat(Files.exists(project.resultsDir().resolve("scores.json"))).isTrue();

        model.setImageThresholds(-1, -1);
        assertThat(model.ngCountProperty().get()).isEqualTo(total);
        model.imageThresholdProperty().set(1e9);
        assertThat(model.ngThresholdProperty().get()).as("the band is never inverted").isEqualTo(1e9);
        assertThat(model.okCountProperty().get()).isEqualTo(total);
        model.filterProperty().set(InspectionViewModel.Filter.NG);
        assertThat(model.gallery()).isEmpty();
        double median = model.items().stream().mapToDouble(InspectedItem::score).sorted().toArray()[total / 2];
        model.setImageThresholds(-1, Math.nextDown(median)); // scores above it: the median and up
        assertThat(model.gallery()).isNotEmpty().allMatch(item -> item.score() >= median);
        // Between the two thresholds: unsure, neither OK nor NG, with its own filter and count.
        model.setImageThresholds(Math.nextDown(median), 1e9);
        assertThat(model.gallery()).isEmpty();
        model.filterProperty().set(InspectionViewModel.Filter.UNSURE);
        assertThat(model.gallery()).isNotEmpty().allMatch(item -> item.score() >= median);
        assertThat(model.unsureCountProperty().get()).isEqualTo(model.gallery().size());
        assertThat(model.okCountProperty().get() + model.unsureCountProperty().get()).isEqualTo(total);
        assertThat(engine.inspections.get()).as("no model run for a threshold change").isEqualTo(total);

        model.filterProperty().set(InspectionViewModel.Filter.ALL);
        model.sortOrderProperty().set(InspectionViewModel.SortOrder.SCORE_DESCENDING);
        double[] shown = model.gallery().stream().mapToDouble(InspectedItem::score).toArray();
        double[] sorted = shown.clone();
        Arrays.sort(sorted);
        assertThat(shown[0]).isEqualTo(sorted[sorted.length - 1]);
        assertThat(model.histogramProperty().get().inspected()).isNotEmpty();
        assertThat(Arrays.stream(model.histogramProperty().get().inspected()).sum()).isEqualTo(total);
    }

    @Test
    void scoresSurviveReopeningAndNavigationWraps(@TempDir Path folder) throws Exception {
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        Project project = inspectedSample(folder, engine);

        InspectionViewModel reopened = opened(engine, project);
        assertThat(reopened.items()).allMatch(InspectedItem::isInspected);

        reopened.next();
        InspectedItem firstItem = reopened.selectedProperty().get();
        assertThat(firstItem).isEqualTo(reopened.gallery().get(0));
        assertThat(reopened.detailProperty().get()).isNotNull();
        reopened.previous();
        assertThat(reopened.selectedProperty().get()).isEqualTo(reopened.gallery().get(reopened.gallery().size() - 1));
    }

    @Test
    void anInspectionRunKeepsItsScoresForTheProjectItStartedOnWhenAnotherIsOpened(@TempDir Path folder)
            throws Exception {
        Project first = sample(folder.resolve("first"));
        Project second = sample(folder.resolve("second"));
        ScriptedInspectionEngine scripted = new ScriptedInspectionEngine();
        InspectionViewModel[] model = new InspectionViewModel[1];
        // the user opens the second project while the run inspects the first's second image
        InspectionEngine engine = new InspectionEngine() {
            @Override
            public boolean hasModel(Project project) {
                return true;
            }

            @Override
            public Calibration calibration(Project project) {
                return scripted.calibration(project);
            }

            @Override
            public ImageInspection inspect(Project project, Path image) throws Exception {
                ImageInspection result = scripted.inspect(project, image);
                if (scripted.inspections.get() == 2) {
                    model[0].show(second, second.inspectImages());
                }
                return result;
            }
        };
        model[0] = new InspectionViewModel(engine, BackgroundWork.inline());
        model[0].show(first, first.inspectImages());
        model[0].inspectAll(false);

        assertThat(scripted.inspections.get()).as("the run stopped when the project changed").isEqualTo(2);
        assertThat(model[0].items()).as("the shown project's gallery got none of the other's scores")
                .noneMatch(InspectedItem::isInspected);
        assertThat(second.resultsDir().resolve("scores.json")).doesNotExist();
        InspectionViewModel reopened = new InspectionViewModel(new ScriptedInspectionEngine(), BackgroundWork.inline());
        reopened.show(first, first.inspectImages());
        assertThat(reopened.items().stream().filter(InspectedItem::isInspected).map(item -> item.image().file()))
                .containsExactly(first.inspectImages().get(0).file(), first.inspectImages().get(1).file());
    }

    @Test
    void aModelTrainedForAProjectNoLongerShownDropsOnlyThatProjectsScores(@TempDir Path folder) throws Exception {
        Project trained = sample(folder.resolve("trained"));
        Project shown = sample(folder.resolve("shown"));
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = new InspectionViewModel(engine, BackgroundWork.inline());
        model.show(trained, trained.inspectImages());
        model.inspectAll(false);
        model.show(shown, shown.inspectImages());
        model.inspectAll(false);

        model.modelChanged(trained);
        assertThat(trained.resultsDir().resolve("scores.json")).doesNotExist();
        assertThat(shown.resultsDir().resolve("scores.json")).exists();
        assertThat(model.items()).allMatch(InspectedItem::isInspected);
        assertThat(model.projectProperty().get().folder()).isEqualTo(shown.folder());
    }

    @Test
    void thresholdsApplyToTheModelTheyWereSetForAndANewModelStartsAtItsOwnCalibration(@TempDir Path folder)
            throws Exception {
        Project project = sample(folder);
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = opened(engine, project);
        assertThat(model.imageThresholdProperty().get()).isEqualTo(0.35); // calibrated

        // the user sets thresholds for this model (saved in the project); the screen shows them after a reload
        Project set = project.with(project.settings().withThresholds(0.2, 0.5, 0.1, engine.modelId));
        model.settingsChanged(set);
        model.show(set, set.inspectImages());
        assertThat(model.imageThresholdProperty().get()).isEqualTo(0.2);
        assertThat(model.ngThresholdProperty().get()).isEqualTo(0.5);
        assertThat(model.pixelThresholdProperty().get()).isEqualTo(0.1);

        // Improve or Train writes a new model: it scores on its own scale, the old OK-below could call defects OK
        engine.modelId = "scripted-model-2";
        model.modelChanged();
        assertThat(model.imageThresholdProperty().get()).isEqualTo(0.35);
        assertThat(model.ngThresholdProperty().get()).isEqualTo(0.45);
        assertThat(model.pixelThresholdProperty().get()).isEqualTo(0.3);
        assertThat(model.messageProperty().get()).contains("earlier model");
    }

    @Test
    void movingOneSliderStoresOnlyThatThresholdTheOthersStayCalibrated(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        InspectionViewModel model = new InspectionViewModel(new ScriptedInspectionEngine(), BackgroundWork.inline());
        Double[][] saved = new Double[1][];
        String[] savedFor = new String[1];
        model.setSaveThresholds((image, ng, pixel, modelId) -> {
            saved[0] = new Double[] {image, ng, pixel};
            savedFor[0] = modelId;
        });
        model.show(project, project.inspectImages());

        model.pixelThresholdProperty().set(0.25);
        model.commitThresholds();

        assertThat(saved[0]).containsExactly(null, null, 0.25);
        assertThat(savedFor[0]).isEqualTo("scripted-model-1");
    }

    @Test
    void anImageThatCannotBeReadNeverShowsThePreviousImagesMaps(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        Path broken = project.inspectImages().get(1).file();
        Files.writeString(broken, "not a picture any more");
        InspectionViewModel model = opened(new ScriptedInspectionEngine(), project);
        model.selectedProperty().set(model.items().get(0));
        assertThat(model.detailProperty().get()).isNotNull();
        model.selectedProperty().set(model.items().stream().filter(i -> i.image().file().equals(broken))
                .findFirst().orElseThrow());
        assertThat(model.detailProperty().get()).as("no maps of the image selected before").isNull();
        assertThat(model.messageProperty().get()).contains(broken.getFileName().toString());
    }

    @Test
    void reopeningSelectsTheImageTheUserWasLookingAt(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        ProjectImage third = project.inspectImages().get(2);
        Project left = project.with(project.settings().withPlace("inspectionTab",
                project.folder().relativize(third.file()).toString()));
        InspectionViewModel model = new InspectionViewModel(new ScriptedInspectionEngine(), BackgroundWork.inline());
        model.show(left, left.inspectImages());
        assertThat(model.selectedProperty().get().image().file()).isEqualTo(third.file());
        assertThat(model.detailProperty().get()).isNotNull();
    }

    @Test
    void coloursFollowTheCalibratedRangeNotTheImagesOwnMinimumAndMaximum(@TempDir Path folder) throws Exception {
        int n = 16;
        float[] calm = new float[n];
        Arrays.fill(calm, 0.01f);
        calm[3] = 0.02f; // a per-image min-max scale would paint this pixel as a full-strength defect
        RgbImage image = RgbImage.of(4, 4, new float[3 * n]);
        InspectionEngine.Calibration calib = new InspectionEngine.Calibration(0.5, 0.5, 0.5,
                new InspectionEngine.Range(0, 1), new InspectionEngine.Range(0, 1), new InspectionEngine.Range(0, 1),
                new double[0], "m");
        InspectionViewModel.RenderedInspection rendered = InspectionViewModel.render(
                new InspectionEngine.ImageInspection(folder, image, calm, calm, calm, 0.02, null, null), calib);
        for (int argb : pixels(rendered.fused())) {
            assertThat(argb >>> 24).as("alpha of a calm pixel").isLessThan(60);
        }
        float[] hot = calm.clone();
        hot[5] = 1f;
        InspectionViewModel.RenderedInspection defect = InspectionViewModel.render(
                new InspectionEngine.ImageInspection(folder, image, hot, hot, hot, 1, null, null), calib);
        assertThat(pixels(defect.fused())[5] >>> 24).isEqualTo(255);
        assertThat(pixels(defect.fused())[3]).isEqualTo(pixels(rendered.fused())[3]);
    }

    private static int[] pixels(javafx.scene.image.Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        return argb;
    }

    @Test
    void aPictureTheModelSawDistortedIsNamedInAWarningWhenShown(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        Path strip = project.inspectImages().get(0).file().resolveSibling("strip.png");
        dmdd.datasets.image.ImageWriter.writePng(dmdd.datasets.sample.SampleDataset.normalSurface(64, 7)
                .resize(300, 6), strip);
        InspectionViewModel model = new InspectionViewModel(new ScriptedInspectionEngine(), BackgroundWork.inline());
        model.show(project, ProjectStore.open(project.folder()).inspectImages());
        model.selectedProperty().set(model.items().stream().filter(i -> i.image().file().equals(strip)).findFirst()
                .orElseThrow());
        assertThat(model.messageProperty().get()).startsWith("Warning: strip.png is ").contains("squeezed")
                .endsWith("its verdict is less sure");
        model.selectedProperty().set(model.items().get(0));
        assertThat(model.detailProperty().get().inspection().warning()).isNull();
    }

    @Test
    void theContourIsDrawnInTheBackgroundAndADraggedSliderDrawsOnlyItsLatestValue(@TempDir Path folder)
            throws Exception {
        Project project = sample(folder);
        java.util.Deque<Runnable> work = new java.util.ArrayDeque<>();
        InspectionViewModel model = new InspectionViewModel(new ScriptedInspectionEngine(),
                BackgroundWork.on(work::add, Runnable::run));
        model.show(project, project.inspectImages());
        drain(work);
        model.selectedProperty().set(model.items().get(0));
        int ran = drain(work);
        InspectionViewModel.RenderedInspection shown = model.detailProperty().get();
        assertThat(shown).isNotNull();
        assertThat(ran).as("the picture, then its contour").isEqualTo(2);
        InspectionEngine.ImageInspection maps = shown.inspection();
        assertThat(pixels(model.contourProperty().get()))
                .isEqualTo(contour(maps, model.pixelThresholdProperty().get()));

        float[] sorted = maps.fused().clone();
        Arrays.sort(sorted);
        double[] dragged = {sorted[sorted.length / 4], sorted[sorted.length / 2], sorted[3 * sorted.length / 4]};
        for (double value : dragged) {
            model.pixelThresholdProperty().set(value);
        }
        assertThat(work).as("nothing drawn on the calling (FX) thread, one drawing at a time").hasSize(1);
        assertThat(drain(work)).as("the first value's drawing and the last one's; the middle one skipped")
                .isEqualTo(2);
        int[] last = contour(maps, dragged[2]);
        assertThat(last).as("a contour that differs between thresholds").isNotEqualTo(contour(maps, dragged[0]));
        assertThat(pixels(model.contourProperty().get())).isEqualTo(last);
    }

    @Test
    void steppingQuicklyThroughTheGalleryInspectsOnlyTheImageStillWanted(@TempDir Path folder) throws Exception {
        Project project = sample(folder);
        java.util.Deque<Runnable> work = new java.util.ArrayDeque<>();
        ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
        InspectionViewModel model = new InspectionViewModel(engine, BackgroundWork.on(work::add, Runnable::run));
        model.show(project, project.inspectImages());
        drain(work);
        int before = engine.inspections.get();
        // an arrow key held down: four images passed before the background gets to any of them
        for (int i = 0; i < 4; i++) {
            model.next();
        }
        drain(work);
        assertThat(engine.inspections.get() - before).as("the skipped images are not inspected").isEqualTo(1);
        InspectionViewModel.RenderedInspection shown = model.detailProperty().get();
        assertThat(shown).isNotNull();
        assertThat(shown.inspection().file()).isEqualTo(model.selectedProperty().get().image().file());
    }

    private static int drain(java.util.Deque<Runnable> work) {
        int ran = 0;
        while (!work.isEmpty()) {
            work.poll().run();
            ran++;
        }
        return ran;
    }

    private static int[] contour(InspectionEngine.ImageInspection maps, double threshold) {
        return Contours.paint(Contours.boundary(maps.fused(), maps.width(), maps.height(), threshold),
                InspectionViewModel.CONTOUR_COLOUR);
    }

    @Test
    void theContourOutlinesTheRegionAboveThePixelThreshold() {
        float[] map = new float[25];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                map[y * 5 + x] = 1;
            }
        }
        boolean[] edge = Contours.boundary(map, 5, 5, 0.5);
        int count = 0;
        for (boolean b : edge) {
            count += b ? 1 : 0;
        }
        assertThat(count).isEqualTo(8);
        assertThat(edge[12]).as("centre is inside, not on the outline").isFalse();
        assertThat(Contours.boundary(map, 5, 5, 2)).doesNotContain(true);
        // A pixel exactly at the threshold is outside, for the contour as for "Start from prediction".
        assertThat(Contours.boundary(map, 5, 5, 1.0)).doesNotContain(true);
        float[] edgeCase = map.clone();
        edgeCase[12] = 0.3f;
        boolean[] around = Contours.boundary(edgeCase, 5, 5, 0.3f);
        assertThat(around[12]).as("at the threshold: not a defect pixel").isFalse();
        assertThat(dmdd.datasets.image.Mask.threshold(5, 5, edgeCase, 0.3f).get(2, 2)).isFalse();
        assertThat(around[7]).as("next to the hole: on the outline").isTrue();
    }

    @Test
    void verdictsFollowTheModelsRuleAsOnTheCommandLine() {
        assertThat(Verdict.of(0.61, 0.5, 0.6)).isEqualTo(Verdict.NG);
        assertThat(Verdict.of(0.6, 0.5, 0.6)).isEqualTo(Verdict.UNSURE);
        assertThat(Verdict.of(0.51, 0.5, 0.6)).isEqualTo(Verdict.UNSURE);
        assertThat(Verdict.of(0.5, 0.5, 0.6)).as("the model's rule: strictly above is not OK").isEqualTo(Verdict.OK);
        assertThat(Verdict.of(0.49, 0.5, 0.5)).isEqualTo(Verdict.OK);
        assertThat(Verdict.of(Double.NaN, 0.5, 0.6)).isEqualTo(Verdict.UNKNOWN);
        assertThat(ProjectImage.Role.values()).hasSize(2);
    }
}
