package dmdd.datasets.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.layout.MvtecCategory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationStoreTest {
    @TempDir
    Path dir;

    static void image(Path file) throws IOException {
        ImageWriter.writePng(new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB), file);
    }

    /** The annotations of {@code dir/inspect}, masks in {@code dir/ground_truth}, as a project keeps them. */
    private AnnotationStore store() throws IOException {
        return AnnotationStore.open(dir.resolve("inspect"), dir.resolve("ground_truth"), dir.resolve("annotations.json"));
    }

    static Mask square(int x0, int y0, int size) {
        boolean[] p = new boolean[16 * 12];
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                p[y * 16 + x] = true;
            }
        }
        return Mask.of(16, 12, p);
    }

    @Test
    void importedMvtecGroundTruthShowsAsAnnotationsAndEditsStayReadableByMvtecTools() throws IOException {
        Path category = dir.resolve("bottle");
        image(category.resolve("train/good/000.png"));
        image(category.resolve("test/good/000.png"));
        image(category.resolve("test/crack/000.png"));
        MaskIo.write(square(2, 2, 4), category.resolve("ground_truth/crack/000_mask.png"));

        AnnotationStore store = AnnotationStore.forMvtecCategory(category);
        assertThat(store.load(category.resolve("test/good/000.png"))).isEqualTo(ImageAnnotation.OK);
        ImageAnnotation crack = store.load(category.resolve("test/crack/000.png"));
        assertThat(crack.label()).isEqualTo(Label.DEFECT);
        assertThat(crack.defectType()).isEqualTo("crack");
        assertThat(crack.mask()).isEqualTo(square(2, 2, 4));

        store.save(category.resolve("test/crack/000.png"), ImageAnnotation.defect("crack", square(8, 4, 5)));
        assertThat(MaskIo.read(category.resolve("ground_truth/crack/000_mask.png")))
                .as("edited in place, the MVTec file").isEqualTo(square(8, 4, 5));
        var loaded = MvtecCategory.open(category).loadTest(new ImageReader(64));
        assertThat(loaded.skipped()).isEmpty();
        assertThat(loaded.loaded().get(1).mask()).isEqualTo(square(8, 4, 5));

        AnnotationStore reopened = AnnotationStore.forMvtecCategory(category);
        assertThat(reopened.load(category.resolve("test/crack/000.png")).mask()).isEqualTo(square(8, 4, 5));
    }

    @Test
    void aDefectFolderLinkedIntoTheCategoryIsReadWithItsMasks() throws IOException {
        // eval and export listed the test images without following links: a linked defect folder vanished
        Path elsewhere = dir.resolve("shared/hole");
        image(elsewhere.resolve("000.png"));
        Path category = dir.resolve("linked");
        image(category.resolve("train/good/000.png"));
        image(category.resolve("test/good/000.png"));
        Files.createDirectories(category.resolve("test"));
        Files.createSymbolicLink(category.resolve("test/hole"), elsewhere);
        MaskIo.write(square(2, 2, 4), category.resolve("ground_truth/hole/000_mask.png"));

        AnnotationStore store = AnnotationStore.forMvtecCategory(category);
        List<Path> images = ImageFiles.listRecursively(store.imagesRoot());
        assertThat(images).hasSize(MvtecCategory.open(category).loadTest(new ImageReader(64)).loaded().size())
                .containsExactly(store.imagesRoot().resolve("good/000.png"), store.imagesRoot().resolve("hole/000.png"));
        ImageAnnotation hole = store.load(images.get(1));
        assertThat(hole.defectType()).isEqualTo("hole");
        assertThat(hole.mask()).isEqualTo(square(2, 2, 4));

        // test/hole2 -> hole: the same images under a second name counted twice in eval and export
        Files.createSymbolicLink(category.resolve("test/hole2"), category.resolve("test/hole"));
        assertThat(ImageFiles.listRecursively(store.imagesRoot())).isEqualTo(images)
                .hasSize(MvtecCategory.open(category).loadTest(new ImageReader(64)).loaded().size());
    }

    @Test
    void aMaskTwoImagesOfOneNameCouldClaimIsNeithersAndAPaintedOneTakesAnotherName() throws IOException {
        Path category = dir.resolve("twins");
        image(category.resolve("test/pit/000.png"));
        image(category.resolve("test/pit/001.png"));
        MaskIo.write(square(2, 2, 4), category.resolve("ground_truth/pit/000_mask.png"));
        MaskIo.write(square(1, 1, 3), category.resolve("ground_truth/pit/001_mask.png"));
        AnnotationStore store = AnnotationStore.forMvtecCategory(category);
        assertThat(store.load(category.resolve("test/pit/000.png")).mask()).isEqualTo(square(2, 2, 4));

        // another picture arrives as 000.bmp: 000_mask.png could be either's
        Path other = category.resolve("test/pit/000.bmp");
        javax.imageio.ImageIO.write(new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB), "bmp", other.toFile());
        Files.setLastModifiedTime(other.getParent(), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(other.getParent()).toMillis() + 2000)); // a coarse clock must see the change
        for (Path twin : List.of(category.resolve("test/pit/000.png"), other)) {
            ImageAnnotation read = store.load(twin);
            assertThat(read.label()).isEqualTo(Label.DEFECT);
            assertThat(read.mask()).as(twin.toString()).isNull();
        }
        assertThat(store.load(category.resolve("test/pit/001.png")).mask()).isEqualTo(square(1, 1, 3));

        // painting one of them keeps the shared file as it was and gives the paint a name of its own
        store.save(other, ImageAnnotation.defect("pit", square(5, 5, 2)));
        assertThat(MaskIo.read(category.resolve("ground_truth/pit/000_mask.png"))).isEqualTo(square(2, 2, 4));
        assertThat(store.load(other).mask()).isEqualTo(square(5, 5, 2));
        assertThat(store.load(category.resolve("test/pit/000.png")).mask()).isNull();
    }

    @Test
    void unlabelledImagesGetTheirMaskUnderTheNamedTypeAndSetItAsideWhenLabelledOk() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        Path img = inspect.resolve("part-17.png");
        image(img);
        AnnotationStore store = store();
        assertThat(store.load(img)).isEqualTo(ImageAnnotation.UNLABELLED);
        assertThat(store.suggestedDefectType(img)).isEqualTo(DefectTypes.DEFAULT);

        store.save(img, ImageAnnotation.defect("scratch", square(0, 0, 3)));
        Path mask = gt.resolve("scratch/part-17_mask.png");
        assertThat(MaskIo.read(mask)).isEqualTo(square(0, 0, 3));
        assertThat(store.maskFile(img)).isEqualTo(mask);

        store.save(img, ImageAnnotation.defect("dent", square(0, 0, 3)));
        assertThat(mask).as("a changed type moves the mask").doesNotExist();
        assertThat(gt.resolve("dent/part-17_mask.png")).exists();

        store.save(img, ImageAnnotation.OK);
        assertThat(store.maskFile(img)).as("an OK image has no mask").isNull();
        assertThat(gt.resolve("dent/part-17_mask.png")).as("set aside, not deleted").exists();
        AnnotationStore reopened = store();
        assertThat(reopened.load(img)).isEqualTo(ImageAnnotation.OK);
        assertThat(reopened.defectTypes()).contains("scratch", "dent");
        // Marked defective again without a new mask (the review's D after a mistaken O): the mask comes back.
        reopened.save(img, ImageAnnotation.defect("dent", null));
        assertThat(reopened.load(img).mask()).isEqualTo(square(0, 0, 3));
        // Erasing a defect's mask (defect to defect without one) removes it.
        reopened.save(img, ImageAnnotation.defect("dent", null));
        reopened.save(img, ImageAnnotation.defect("dent", square(1, 1, 2)));
        reopened.save(img, ImageAnnotation.defect("dent", null));
        assertThat(gt.resolve("dent/part-17_mask.png")).doesNotExist();
    }

    @Test
    void aMistakenOkInTheReviewKeepsTheImportedGroundTruth() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        Path img = inspect.resolve("wilber-crack/000.png");
        image(img);
        MaskIo.write(square(2, 2, 4), gt.resolve("wilber-crack/000_mask.png"));
        AnnotationStore store = store();
        store.save(img, ImageAnnotation.OK);
        assertThat(store.load(img)).isEqualTo(ImageAnnotation.OK);
        store.save(img, ImageAnnotation.defect("wilber-crack", null));
        assertThat(store.load(img).mask()).isEqualTo(square(2, 2, 4));
        assertThat(MaskIo.read(gt.resolve("wilber-crack/000_mask.png"))).isEqualTo(square(2, 2, 4));
    }

    @Test
    void theGoodTestImagesOfEachPartTypeAreNormal() throws IOException {
        // A project of the part types "wilber" and "gray" (their normal sets), imported from two MVTec categories.
        Files.createDirectories(dir.resolve("normal/wilber"));
        Files.createDirectories(dir.resolve("normal/gray"));
        Path inspect = dir.resolve("inspect");
        image(inspect.resolve("wilber-good/000.png"));
        image(inspect.resolve("wilber-crack/000.png"));
        image(inspect.resolve("no-good/000.png")); // a defect type of its own: "NG", not a part type's good images
        AnnotationStore store = AnnotationStore.forProject(dir);
        assertThat(store.load(inspect.resolve("wilber-good/000.png"))).isEqualTo(ImageAnnotation.OK);
        assertThat(store.loadLabel(inspect.resolve("wilber-good/000.png"))).isEqualTo(ImageAnnotation.OK);
        assertThat(store.suggestedDefectType(inspect.resolve("wilber-good/000.png"))).isEqualTo(DefectTypes.DEFAULT);
        assertThat(store.load(inspect.resolve("wilber-crack/000.png")).label()).isEqualTo(Label.DEFECT);
        assertThat(store.load(inspect.resolve("no-good/000.png")).label()).isEqualTo(Label.DEFECT);
        assertThat(DefectTypes.isValid("not-good")).as("valid before part types existed, valid still").isTrue();
    }

    @Test
    void aMaskOfAnotherImageFormatIsTheImagesGroundTruth() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        image(inspect.resolve("crack/000.png"));
        image(inspect.resolve("crack/001.png"));
        BufferedImage bmp = new BufferedImage(16, 12, BufferedImage.TYPE_BYTE_GRAY);
        bmp.getRaster().setSample(3, 4, 0, 255);
        Files.createDirectories(gt.resolve("crack"));
        javax.imageio.ImageIO.write(bmp, "bmp", gt.resolve("crack/000_mask.bmp").toFile());
        javax.imageio.ImageIO.write(bmp, "png", gt.resolve("crack/001_MASK.png").toFile());
        AnnotationStore store = store();
        for (String name : new String[] {"000", "001"}) {
            Mask mask = store.load(inspect.resolve("crack/" + name + ".png")).mask();
            assertThat(mask).as(name).isNotNull();
            assertThat(mask.area()).isEqualTo(1);
        }
    }

    @Test
    void aMaskPathLeadingOutOfTheMasksFolderIsNeverReadNorDeleted() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        Path img = inspect.resolve("a.png");
        image(img);
        Path precious = dir.resolve("precious/a_mask_from_labelling_tool.png");
        MaskIo.write(square(1, 1, 2), precious);
        Files.writeString(dir.resolve("annotations.json"), "{\"format\":\"dmdd-annotations\",\"version\":1,"
                + "\"images\":{\"a.png\":{\"label\":\"defect\",\"defect_type\":\"scratch\",\"mask\":\""
                + precious.toString().replace("\\", "/") + "\"}}}");
        AnnotationStore store = store();
        assertThat(store.load(img).mask()).isNull();
        assertThat(store.maskFile(img)).isNull();
        store.save(img, ImageAnnotation.OK);
        store.save(img, ImageAnnotation.defect("scratch", square(3, 3, 2)));
        assertThat(precious).exists();
        assertThat(MaskIo.read(precious)).isEqualTo(square(1, 1, 2));
        assertThat(store.maskFile(img)).startsWith(gt);
    }

    @Test
    void aMaskNameTakenByAnotherImageIsNeverOverwritten() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        image(inspect.resolve("scratch/000.png"));
        MaskIo.write(square(1, 1, 2), gt.resolve("scratch/000_mask.png"));
        image(inspect.resolve("good/000.png"));
        AnnotationStore store = store();

        store.save(inspect.resolve("good/000.png"), ImageAnnotation.defect("scratch", square(5, 5, 3)));
        assertThat(MaskIo.read(gt.resolve("scratch/000_mask.png"))).isEqualTo(square(1, 1, 2));
        assertThat(store.maskFile(inspect.resolve("good/000.png"))).isEqualTo(gt.resolve("scratch/good_000_mask.png"));
        AnnotationStore reopened = store();
        assertThat(reopened.load(inspect.resolve("good/000.png")).mask()).isEqualTo(square(5, 5, 3));
        assertThat(reopened.load(inspect.resolve("scratch/000.png")).mask()).isEqualTo(square(1, 1, 2));
    }

    @Test
    void erasingAMaskThatALabelsFilePointsAtAnotherImagesMaskLeavesThatMask() throws IOException {
        Path inspect = dir.resolve("inspect");
        Path gt = dir.resolve("ground_truth");
        image(inspect.resolve("crack/000.png"));
        image(inspect.resolve("stain/000.png"));
        MaskIo.write(square(1, 1, 2), gt.resolve("crack/000_mask.png"));
        MaskIo.write(square(4, 4, 2), gt.resolve("stain/000_mask.png"));
        // hand-edited: the crack points at the stain image's mask, the stain image has no entry
        Files.writeString(dir.resolve("annotations.json"), "{\"format\":\"dmdd-annotations\",\"version\":1,"
                + "\"images\":{\"crack/000.png\":{\"label\":\"defect\",\"defect_type\":\"crack\","
                + "\"mask\":\"stain/000_mask.png\"}}}");
        AnnotationStore store = store();

        store.save(inspect.resolve("crack/000.png"), ImageAnnotation.defect("crack", null));
        assertThat(MaskIo.read(gt.resolve("stain/000_mask.png"))).as("the stain image's own mask")
                .isEqualTo(square(4, 4, 2));
        assertThat(store().load(inspect.resolve("stain/000.png")).mask()).isEqualTo(square(4, 4, 2));
    }

    @Test
    void damagedOrForeignLabelsFilesAreReportedWithTheirName() throws IOException {
        Path labels = dir.resolve("annotations.json");
        Files.writeString(labels, "{\"format\": \"dmdd-annotations\", \"version\": 1, \"images\": {");
        assertThatThrownBy(() -> AnnotationStore.open(dir, dir.resolve("gt"), labels))
                .isInstanceOf(IOException.class).hasMessageContaining(labels.toString()).hasMessageContaining("damaged");
        Files.writeString(labels, "{\"name\": \"something else\"}");
        assertThatThrownBy(() -> AnnotationStore.open(dir, dir.resolve("gt"), labels))
                .hasMessageContaining("not a DMDD annotations file");
        Files.writeString(labels, "{\"format\": \"dmdd-annotations\", \"version\": 1, \"images\": "
                + "{\"crack/7.png\": {\"label\": \"defect\", \"defect_type\": \"a/b\"}}}");
        assertThatThrownBy(() -> AnnotationStore.open(dir, dir.resolve("gt"), labels))
                .hasMessageContaining(labels.toString()).hasMessageContaining("crack/7.png")
                .hasMessageContaining("'a/b'");
    }

    @Test
    void fieldsThisVersionDoesNotKnowSurviveASave() throws IOException {
        image(dir.resolve("inspect/scratch/000.png"));
        image(dir.resolve("inspect/scratch/001.png"));
        Path labels = dir.resolve("annotations.json");
        Files.writeString(labels, "{\"format\": \"dmdd-annotations\", \"version\": 1, \"site\": {\"line\": 4},"
                + " \"images\": {\"scratch/000.png\": {\"label\": \"defect\", \"defect_type\": \"scratch\","
                + " \"reviewer\": \"Anna\", \"note\": \"edge of the lot\"},"
                + " \"scratch/001.png\": {\"label\": \"ok\", \"reviewer\": \"Ben\"},"
                + " \"scratch/002.png\": {\"mask\": \"scratch/002_mask.png\", \"reviewer\": \"Cy\"}}}");

        AnnotationStore store = store();
        store.save(dir.resolve("inspect/scratch/000.png"), ImageAnnotation.defect("scratch", square(2, 2, 3)));

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(labels.toFile());
        assertThat(json.at("/site/line").asInt()).isEqualTo(4);
        assertThat(json.at("/images/scratch~1000.png/reviewer").asText()).isEqualTo("Anna");
        assertThat(json.at("/images/scratch~1000.png/note").asText()).isEqualTo("edge of the lot");
        assertThat(json.at("/images/scratch~1000.png/mask").asText()).as("the save's own change")
                .isEqualTo("scratch/000_mask.png");
        assertThat(json.at("/images/scratch~1001.png/reviewer").asText()).isEqualTo("Ben");
        // an entry without a label (another tool's) stays, as not yet labelled, with its mask and fields
        assertThat(json.at("/images/scratch~1002.png/label").asText()).isEqualTo("unlabelled");
        assertThat(json.at("/images/scratch~1002.png/mask").asText()).isEqualTo("scratch/002_mask.png");
        assertThat(json.at("/images/scratch~1002.png/reviewer").asText()).isEqualTo("Cy");
        assertThat(store().load(dir.resolve("inspect/scratch/000.png")).mask()).isEqualTo(square(2, 2, 3));
    }

    @Test
    void defectTypeNamesMustBeSafeFolderNames() {
        assertThat(DefectTypes.validate("  broken wire ")).isEqualTo("broken wire");
        assertThatThrownBy(() -> DefectTypes.validate("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DefectTypes.validate("good")).hasMessageContaining("defect-free");
        assertThatThrownBy(() -> DefectTypes.validate(" ")).hasMessageContaining("name");
        // words of any script: Hindi and Thai need their vowel signs, macOS spells "é" as "e" and a combining accent
        for (String word : List.of("\u0926\u0930\u093e\u0930", "\u0e23\u0e2d\u0e22\u0e23\u0e49\u0e32\u0e27",
                "raye\u0301", "\u00e7izik", "rost fleck")) {
            assertThat(DefectTypes.isValid(word)).as(word).isTrue();
        }
        assertThat(DefectTypes.validateNew("raye\u0301")).isEqualTo("ray\u00e9");
        assertThatThrownBy(() -> DefectTypes.validate("\u0301x")).as("a mark belongs after a letter")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leftoversOfAKilledSaveAreRemovedWhenTheyAreOldOnly() throws IOException {
        Path gt = Files.createDirectories(dir.resolve("ground_truth/scratch"));
        Path old = Files.writeString(gt.resolve(".tmp-000_mask.png.123.part"), "half");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - dmdd.datasets.image.AtomicFiles.STALE.toMillis() - 1000));
        Path fresh = Files.writeString(gt.resolve(".tmp-001_mask.png.456.part"), "being written");
        Path oldLabels = Files.writeString(dir.resolve(".tmp-annotations.json.9.part"), "{");
        Files.setLastModifiedTime(oldLabels, Files.getLastModifiedTime(old));
        AnnotationStore.open(dir.resolve("inspect"), dir.resolve("ground_truth"), dir.resolve("annotations.json"));
        assertThat(old).doesNotExist();
        assertThat(oldLabels).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void imagesOutsideTheFolderAreRefused() throws IOException {
        AnnotationStore store = AnnotationStore.open(dir.resolve("inspect"), dir.resolve("gt"), dir.resolve("a.json"));
        assertThatThrownBy(() -> store.load(dir.resolve("other/x.png"))).hasMessageContaining("not inside");
    }
}
