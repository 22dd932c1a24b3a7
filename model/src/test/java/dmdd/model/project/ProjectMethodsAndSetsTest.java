package dmdd.model.project;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.Method;
import dmdd.model.infer.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project holds one model per method (DMDD's where it always was) and images of several part types, each
 * set in sub-folders of its own; a project of one part type is listed exactly as before.
 */
class ProjectMethodsAndSetsTest {
    @TempDir
    Path temp;

    @Test
    void eachMethodHasItsOwnModelFolderAndDmddKeepsModel() throws Exception {
        Project project = ProjectStore.create(temp.resolve("p"), "p");
        assertThat(project.modelDir(Method.DMDD)).isEqualTo(project.folder().resolve("model"));
        assertThat(Method.values()).extracting(project::modelDir).doesNotHaveDuplicates();
        assertThat(project.modelDir(Method.AAND)).isEqualTo(project.folder().resolve("models/aand"));
        assertThat(project.chosenModelDir()).as("a new project trains DMDD").isEqualTo(project.folder().resolve("model"));

        Project dcam = project.with(project.settings().withTraining(
                project.settings().training().with("method", Method.DCAM), "auto"));
        ProjectStore.save(dcam);
        Project reopened = ProjectStore.open(project.folder());
        assertThat(reopened.method()).isEqualTo(Method.DCAM);
        assertThat(reopened.chosenModelDir()).isEqualTo(project.folder().resolve("models/dcam"));
        assertThat(reopened.resultsDir(Method.DCAM)).isNotEqualTo(reopened.resultsDir(Method.DMDD));
    }

    @Test
    void eachMethodKeepsTheThresholdsTheUserChoseForItAcrossSwitchesAndReopening() throws Exception {
        Project project = ProjectStore.create(temp.resolve("p"), "p");
        ProjectSettings dmdd = project.settings().withThresholds(0.3, 0.4, 0.5, "dmdd-model");
        ProjectSettings aand = dmdd.withTraining(dmdd.training().with("method", Method.AAND), "auto");
        assertThat(aand.imageThreshold()).as("DMDD's scale is not AAND's").isNull();
        ProjectStore.save(project.with(aand.withThresholds(7.0, 8.0, null, "aand-model")));

        ProjectSettings reopened = ProjectStore.open(project.folder()).settings();
        assertThat(reopened.otherMethodsThresholds())
                .containsExactly(java.util.Map.entry("dmdd", new ProjectSettings.UserThresholds(0.3, 0.4, 0.5, "dmdd-model")));
        ProjectSettings backToDmdd = reopened.withTraining(reopened.training().with("method", Method.DMDD), "cpu");
        assertThat(List.of(backToDmdd.imageThreshold(), backToDmdd.ngThreshold(), backToDmdd.pixelThreshold()))
                .containsExactly(0.3, 0.4, 0.5);
        assertThat(backToDmdd.userThresholds(Method.DMDD).isFor("dmdd-model")).as("still bound to its model").isTrue();
        assertThat(backToDmdd.userThresholds(Method.AAND).isFor("aand-model")).isTrue();
        assertThat(backToDmdd.otherMethodsThresholds())
                .containsExactly(java.util.Map.entry("aand", new ProjectSettings.UserThresholds(7.0, 8.0, null, "aand-model")));
        // a change that keeps the method keeps the thresholds on screen
        assertThat(backToDmdd.withTraining(backToDmdd.training().with("imageSize", 96), "cpu").imageThreshold())
                .isEqualTo(0.3);
    }

    @Test
    void aNewProjectInAFolderThatHoldsOneIsRefusedAndTheOldOneKeepsItsSettings() throws Exception {
        Project project = ProjectStore.create(temp.resolve("kept"), "kept");
        ProjectStore.save(project.with(project.settings().withThresholds(0.3, 0.4, 0.5, "m")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProjectStore.create(project.folder(), "new"))
                .hasMessageContaining(project.folder().toString()).hasMessageContaining("already holds");
        Project reopened = ProjectStore.open(project.folder());
        assertThat(reopened.settings().name()).isEqualTo("kept");
        assertThat(reopened.settings().imageThreshold()).isEqualTo(0.3);
    }

    @Test
    void anImportedMaskNeverReplacesAMaskThatIsThereAndNoTwoImagesShareOne() throws Exception {
        Project project = ProjectStore.create(temp.resolve("p"), "p");
        Path category = SampleDataset.generateTiny(temp.resolve("data"));
        // a mask the user painted for a loose image called 000.png, marked as a hole
        Path painted = project.groundTruthDir().resolve("hole/000_mask.png");
        Files.createDirectories(painted.getParent());
        Files.write(painted, new byte[] {1, 2, 3});
        // a second copy of the category whose hole image is a JPEG named like the first one's PNG
        Path jpegs = temp.resolve("jpegs").resolve(category.getFileName());
        for (Path f : Files.walk(category).filter(Files::isRegularFile).toList()) {
            Path to = jpegs.resolve(category.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
        Path png = jpegs.resolve("test/hole/000.png");
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(png.toFile()), "jpg",
                png.resolveSibling("000.jpg").toFile());
        Files.delete(png);

        ProjectImporter importer = new ProjectImporter(project);
        importer.importFiles(List.of(category), ProjectImage.Role.INSPECT);
        importer.importFiles(List.of(jpegs), ProjectImage.Role.INSPECT);

        assertThat(painted).hasBinaryContent(new byte[] {1, 2, 3});
        List<String> holes;
        try (var files = Files.list(project.inspectDir().resolve("hole"))) {
            holes = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        Set<String> stems = holes.stream().map(n -> n.substring(0, n.lastIndexOf('.'))).collect(Collectors.toSet());
        assertThat(stems).as("one stem per image: %s", holes).hasSameSizeAs(holes);
        for (String stem : stems) {
            assertThat(project.groundTruthDir().resolve("hole/" + stem + "_mask.png")).exists();
        }
        assertThat(stems).doesNotContain("000");
    }

    @Test
    void aHandEditedProjectFileThatCannotMeanOneThingIsRefusedByName() throws Exception {
        Project project = ProjectStore.create(temp.resolve("edited"), "edited");
        Path file = project.folder().resolve(ProjectStore.SETTINGS_FILE);
        String saved = Files.readString(file);
        for (String edited : new String[] {
                "",
                saved.replaceFirst("\\{", "{\"name\": \"twice\","),
                saved.replaceFirst("\"training\"\\s*:\\s*\\{", "\"training\": 3, \"was\": {"),
                saved + "}"}) {
            Files.writeString(file, edited);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProjectStore.open(project.folder()))
                    .as(edited).hasMessageStartingWith(file + " cannot be read: ")
                    .hasMessageNotContaining("cannot be cast").hasMessageNotContaining("Source:");
        }
    }

    @Test
    void thresholdsThatCannotBeAPersonsChoiceAreRefusedByNameNotResolvedTowardsOk() throws Exception {
        Project project = ProjectStore.create(temp.resolve("thresholds"), "thresholds");
        Path file = project.folder().resolve(ProjectStore.SETTINGS_FILE);
        ProjectStore.save(project.with(project.settings().withThresholds(0.3, 0.4, 0.5, "m")));
        String saved = Files.readString(file);
        assertThat(saved).contains("\"ngThreshold\" : 0.4");
        for (String[] edit : new String[][] {
                {"\"ngThreshold\" : 0.4", "\"ngThreshold\" : 0.1", "below its OK-below threshold"},
                {"\"imageThreshold\" : 0.3", "\"imageThreshold\" : \"NaN\"", "finite numbers"},
                {"\"pixelThreshold\" : 0.5", "\"pixelThreshold\" : \"Infinity\"", "finite numbers"}}) {
            Files.writeString(file, saved.replace(edit[0], edit[1]));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProjectStore.open(project.folder()))
                    .as(edit[1]).hasMessageStartingWith(file + " cannot be read: ").hasMessageContaining(edit[2]);
        }
        Files.writeString(file, saved);
        assertThat(ProjectStore.open(project.folder()).settings().ngThreshold()).isEqualTo(0.4);
    }

    @Test
    void theProjectsOwnFoldersAreNeverImportedIntoItAgain() throws Exception {
        Project project = ProjectStore.create(temp.resolve("own"), "own");
        Path defect = Files.createDirectories(project.inspectDir().resolve("crack")).resolve("000.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", defect.toFile());
        ProjectImporter importer = new ProjectImporter(project);

        // the project folder dropped on the normal images: its defects would be trained on as normal parts
        ImportReport<Path> whole = importer.importFiles(List.of(project.folder()), ProjectImage.Role.NORMAL);
        assertThat(whole.loaded()).isEmpty();
        assertThat(whole.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("is the project"));
        ImportReport<Path> above = importer.importFiles(List.of(temp), ProjectImage.Role.NORMAL);
        assertThat(above.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("holds the project"));
        ImportReport<Path> inspect = importer.importFiles(List.of(project.inspectDir()), ProjectImage.Role.INSPECT);
        assertThat(inspect.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("is inside the project"));
        try (var files = Files.walk(project.folder())) {
            assertThat(files.filter(p -> p.toString().endsWith(".png")).toList()).containsExactly(defect);
        }
    }

    @Test
    void aFolderReachedThroughASymbolicLinkIsImported() throws Exception {
        Project project = ProjectStore.create(temp.resolve("linked"), "linked");
        Path share = Files.createDirectories(temp.resolve("share/line-3"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", share.resolve("part.png").toFile());
        Path link = Files.createSymbolicLink(temp.resolve("link-to-share"), share.getParent());

        ImportReport<Path> report = new ProjectImporter(project).importFiles(List.of(link), ProjectImage.Role.INSPECT);

        assertThat(report.loaded()).hasSize(1);
        assertThat(report.skipped()).isEmpty();

        // A link back up inside the share is named and not followed; the rest still imports. Results this program
        // wrote there (heatmaps in a folder marked by infer) are not pictures of parts.
        Path loop = Files.createSymbolicLink(share.resolve("up"), share.getParent());
        Path broken = Files.createSymbolicLink(share.resolve("moved.png"), share.resolve("nowhere.png"));
        Path inspected = Files.createDirectories(share.resolve("inspected"));
        Files.createFile(inspected.resolve(dmdd.datasets.image.ImageFiles.RESULTS_MARKER));
        Files.copy(share.resolve("part.png"), inspected.resolve("part.fused.png"));
        ImportReport<Path> again = new ProjectImporter(project).importFiles(List.of(link), ProjectImage.Role.INSPECT);
        assertThat(again.loaded()).hasSize(1);
        assertThat(again.skipped()).hasSize(2).anySatisfy(s -> {
            assertThat(s.file().getFileName()).isEqualTo(loop.getFileName());
            assertThat(s.reason()).contains("link back");
        }).anySatisfy(s -> assertThat(s.file().getFileName()).as("a broken link, named")
                .isEqualTo(broken.getFileName()));
    }

    @Test
    void aLinkToAFolderAboveTheImportedOneIsNamedNotFollowed() throws Exception {
        // line-3/all -> .. : the walk meets no loop until it has been through the folder above (its other images,
        // and this folder's again under another path); a link to / would import the disk
        Project project = ProjectStore.create(temp.resolve("above"), "above");
        Path line = Files.createDirectories(temp.resolve("plant/line-3"));
        for (Path png : List.of(line.resolve("part.png"), line.getParent().resolve("other-line.png"))) {
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8,
                    java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        }
        Path all = Files.createSymbolicLink(line.resolve("all"), line.getParent());

        ImportReport<Path> report = new ProjectImporter(project).importImageSets(List.of(line));

        assertThat(report.loaded()).hasSize(1);
        assertThat(report.skipped()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo(all);
            assertThat(s.reason()).contains("link back");
        });
    }

    @Test
    void aLinkToAnotherFolderOfTheImportIsNamedNotFollowed() throws Exception {
        // line-3/copy -> morning: the same pictures would be imported (and trained on) twice
        Project project = ProjectStore.create(temp.resolve("sibling"), "sibling");
        Path line = Files.createDirectories(temp.resolve("plant/line-3"));
        Path morning = Files.createDirectories(line.resolve("morning"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", morning.resolve("part.png").toFile());
        Path copy = Files.createSymbolicLink(line.resolve("copy"), morning);
        // two links to one folder elsewhere: read once, under the first name
        Path evening = Files.createDirectories(temp.resolve("share/evening"));
        Files.copy(morning.resolve("part.png"), evening.resolve("part.png"));
        Files.createSymbolicLink(line.resolve("evening"), evening);
        Path again = Files.createSymbolicLink(line.resolve("evening2"), line.resolve("evening"));

        ImportReport<Path> report = new ProjectImporter(project).importImageSets(List.of(line));

        assertThat(report.loaded()).hasSize(2);
        assertThat(report.skipped()).hasSize(2).anySatisfy(s -> {
            assertThat(s.file()).isEqualTo(copy);
            assertThat(s.reason()).isEqualTo("a link to a folder read as morning: not followed");
        }).anySatisfy(s -> {
            assertThat(s.file()).isEqualTo(again);
            assertThat(s.reason()).isEqualTo("a link to a folder read as evening: not followed");
        });
    }

    @Test
    void aSecondNameForADefectFolderOfAnMvtecCategoryIsNamedNotImportedTwice() throws Exception {
        Project project = ProjectStore.create(temp.resolve("mvtec-links"), "mvtec-links");
        Path category = temp.resolve("mvtec/widget");
        dmdd.datasets.layout.MvtecCategory.Writer writer = dmdd.datasets.layout.MvtecCategory.create(category);
        dmdd.datasets.image.RgbImage image = dmdd.datasets.image.RgbImage.of(8, 8, new float[3 * 64]);
        writer.addTrainGood(image);
        writer.addTestDefect("crack", image, dmdd.datasets.image.Mask.empty(8, 8));
        Path crack2 = Files.createSymbolicLink(category.resolve("test/crack2"), category.resolve("test/crack"));

        ImportReport<Path> report = new ProjectImporter(project).importMvtecCategory(category);

        assertThat(report.skipped()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo(crack2);
            assertThat(s.reason()).isEqualTo("a link to a folder read as crack: not followed");
        });
        assertThat(project.inspectDir().resolve("crack2")).doesNotExist();
        try (var files = Files.list(project.inspectDir().resolve("crack"))) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void aNewImageNeverTakesTheNameOfAnAnnotatedImageThatWasDeleted() throws Exception {
        Project project = ProjectStore.create(temp.resolve("renumbered"), "renumbered");
        Path camera = Files.createDirectories(temp.resolve("camera"));
        Path frame = camera.resolve("img_0001.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", frame.toFile());
        ProjectImporter importer = new ProjectImporter(project);
        Path first = importer.importFiles(List.of(frame), ProjectImage.Role.INSPECT).loaded().get(0);
        var store = dmdd.datasets.annotation.AnnotationStore.forProject(project.folder());
        boolean[] pixels = new boolean[64];
        pixels[9] = true;
        store.save(first, dmdd.datasets.annotation.ImageAnnotation.defect("scratch",
                dmdd.datasets.image.Mask.of(8, 8, pixels)));
        Files.delete(first); // removed outside the program; its label and mask stay

        // The camera's numbering starts again: another picture under the same name.
        Path second = importer.importFiles(List.of(frame), ProjectImage.Role.INSPECT).loaded().get(0);
        assertThat(second.getFileName().toString()).isEqualTo("img_0001_2.png");
        assertThat(dmdd.datasets.annotation.AnnotationStore.forProject(project.folder()).load(second))
                .isEqualTo(dmdd.datasets.annotation.ImageAnnotation.UNLABELLED);
    }

    @Test
    void anUnreadableListOfRecentProjectsIsKeptBesideNotOverwritten() throws Exception {
        Workspace workspace = new Workspace(temp.resolve("user"));
        Project project = ProjectStore.create(temp.resolve("recent"), "recent");
        workspace.remember(project.folder());
        Path file;
        try (var files = Files.list(temp.resolve("user"))) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(file, "{ half a list");

        assertThat(workspace.recentProjects()).isEmpty(); // the workstation still starts
        workspace.remember(project.folder());

        assertThat(file.resolveSibling(file.getFileName() + ".unreadable")).hasContent("{ half a list");
        assertThat(workspace.recentProjects()).containsExactly(project.folder());
    }

    @Test
    void aProjectFileWrittenBeforeThresholdsPerMethodStillOpens() throws Exception {
        Project project = ProjectStore.create(temp.resolve("old"), "old");
        Path file = project.folder().resolve(ProjectStore.SETTINGS_FILE);
        String json = Files.readString(file);
        assertThat(json).contains("otherMethodsThresholds");
        Files.writeString(file, json.replaceAll(",\\s*\"otherMethodsThresholds\"\\s*:\\s*\\{\\s*}", ""));
        assertThat(Files.readString(file)).doesNotContain("otherMethodsThresholds");
        assertThat(ProjectStore.open(project.folder()).settings().otherMethodsThresholds()).isEmpty();
    }

    @Test
    void trainedMethodsAreThoseWithAModelDescription() throws Exception {
        Project project = ProjectStore.create(temp.resolve("p"), "p");
        assertThat(project.trainedMethods()).isEmpty();
        for (Method m : List.of(Method.DMDD, Method.AAND)) {
            Files.createDirectories(project.modelDir(m));
            Files.writeString(project.modelDir(m).resolve(ModelFolder.DESCRIPTION), "{}");
        }
        // A folder with only a checkpoint is an unfinished run, not a trained model.
        Files.createDirectories(project.modelDir(Method.DCAM));
        Files.writeString(project.modelDir(Method.DCAM).resolve("checkpoint.json"), "{}");
        assertThat(project.trainedMethods()).containsExactly(Method.DMDD, Method.AAND);
    }

    @Test
    void aProjectsModelFolderIsKnownAsSuchThroughLinksAndBeforeItExists() throws Exception {
        Project project = ProjectStore.create(temp.resolve("p"), "p");
        Path p = project.folder();
        assertThat(Project.slotMethod(p.resolve("model"))).contains(Method.DMDD);
        assertThat(Project.slotMethod(p.resolve("models/aand"))).contains(Method.AAND);
        assertThat(Project.slotMethod(p.resolve("models/unknown"))).isEmpty();
        assertThat(Project.slotMethod(temp.resolve("model"))).isEmpty();
        // a slot that is a link to a model kept elsewhere
        Path elsewhere = java.nio.file.Files.createDirectories(temp.resolve("elsewhere"));
        java.nio.file.Files.createDirectories(p.resolve("models"));
        java.nio.file.Files.createSymbolicLink(p.resolve("models/dcam"), elsewhere);
        assertThat(Project.slotMethod(p.resolve("models/dcam"))).contains(Method.DCAM);
        // a slot not made yet, named through a link to the project's models/ folder
        Path models = java.nio.file.Files.createSymbolicLink(temp.resolve("models-link"), p.resolve("models"));
        assertThat(Project.slotMethod(models.resolve("baseline"))).contains(Method.BASELINE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Project.requireSlotFor(models.resolve("baseline"),
                Method.AAND)).hasMessageContaining("is the project's Baseline model folder")
                .hasMessageContaining(p.resolve("models").resolve("aand").toString());
        Project.requireSlotFor(models.resolve("baseline"), Method.BASELINE);
    }

    @Test
    void twoMvtecCategoriesImportAsTwoSetsWithTheirMasks() throws Exception {
        Path data = temp.resolve("mvtec");
        SampleDataset.generate(data, new SampleDataset.Spec("bottle", 32, 3, 1, 1, 1L));
        SampleDataset.generate(data, new SampleDataset.Spec("cable", 32, 2, 1, 1, 2L));
        // what an archive unpacked on a Mac brings beside the categories
        java.nio.file.Files.createDirectories(data.resolve("__MACOSX/bottle/train/good"));
        java.nio.file.Files.writeString(data.resolve("license.txt"), "CC BY-NC-SA 4.0");
        Project project = ProjectStore.create(temp.resolve("p"), "p");

        // The dataset root chosen where one category (or a folder of images) was asked for: refused by name, not
        // copied as unlabelled images with its defects and masks (or, as normal images, defects to learn as normal)
        for (ProjectImage.Role role : ProjectImage.Role.values()) {
            ImportReport<Path> root = new ProjectImporter(project).importFiles(List.of(data), role);
            assertThat(root.loaded()).isEmpty();
            assertThat(root.skipped()).singleElement().satisfies(s -> assertThat(s.reason())
                    .contains("holds MVTec AD categories (bottle, cable)").contains("Import image sets"));
        }
        assertThat(project.normalImages()).isEmpty();
        assertThat(project.inspectImages()).isEmpty();

        ImportReport<Path> report = new ProjectImporter(project)
                .importImageSets(ProjectImporter.setFolders(data));

        assertThat(report.skipped()).isEmpty();
        assertThat(project.imageSets()).containsExactly("bottle", "cable");
        List<ProjectImage> normals = project.normalImages();
        assertThat(normals).hasSize(5);
        assertThat(normals.stream().filter(i -> i.group().equals("bottle"))).hasSize(3);
        assertThat(normals.stream().filter(i -> i.group().equals("cable"))).hasSize(2);
        assertThat(normals).allMatch(i -> i.file().getParent().getParent().equals(project.normalDir()));

        List<ProjectImage> inspect = project.inspectImages();
        Set<String> groups = inspect.stream().map(ProjectImage::group).collect(Collectors.toSet());
        assertThat(groups).contains("bottle-good", "cable-good")
                .allMatch(g -> g.startsWith("bottle-") || g.startsWith("cable-"));
        List<ProjectImage> defective = inspect.stream().filter(i -> !i.group().endsWith("-good")).toList();
        assertThat(defective).isNotEmpty()
                .allSatisfy(i -> assertThat(i.groundTruth()).isNotNull()
                        .hasParent(project.groundTruthDir().resolve(i.group())));
        // The same defect type of the two part types stays two groups.
        String type = SampleDataset.DEFECT_TYPES.get(0);
        assertThat(groups).contains("bottle-" + type, "cable-" + type);
    }

    @Test
    void foldersOfNormalImagesBecomeSetsAndASingleSetProjectIsListedAsBefore() throws Exception {
        Path data = temp.resolve("mvtec");
        Path category = SampleDataset.generate(data, new SampleDataset.Spec("screw", 32, 3, 1, 1, 3L));
        Project single = ProjectStore.create(temp.resolve("single"), "single");
        new ProjectImporter(single).importFiles(List.of(category), ProjectImage.Role.NORMAL);
        assertThat(single.normalImages()).hasSize(3).allMatch(i -> i.group().isEmpty()
                && i.file().getParent().equals(single.normalDir()));
        assertThat(single.imageSets()).isEmpty();
        assertThat(single.inspectImages()).extracting(ProjectImage::group).doesNotContainNull()
                .allMatch(g -> !g.startsWith("screw-"));

        Project sets = ProjectStore.create(temp.resolve("sets"), "sets");
        Path partA = category.resolve("train/good");
        Path partB = Files.createDirectories(temp.resolve("nut"));
        Files.copy(partA.resolve(Files.list(partA).sorted().findFirst().orElseThrow().getFileName()),
                partB.resolve("n1.png"));
        new ProjectImporter(sets).importImageSets(List.of(partA.getParent().getParent(), partB));
        assertThat(sets.imageSets()).containsExactly("nut", "screw");
        assertThat(sets.normalImages()).hasSize(4);
        // by set, as training and improvement hold them out; one part type is one set named ""
        assertThat(sets.normalFilesBySet()).containsOnlyKeys("nut", "screw")
                .hasEntrySatisfying("nut", files -> assertThat(files).containsExactly(sets.normalDir()
                        .resolve("nut/n1.png")))
                .hasEntrySatisfying("screw", files -> assertThat(files).hasSize(3));
        assertThat(single.normalFilesBySet()).containsOnlyKeys("").hasEntrySatisfying("", f -> assertThat(f).hasSize(3));
    }
}
