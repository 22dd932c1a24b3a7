package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.testing.TinyModel;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} and {@code import-model} end to end on the tiny sample category. */
class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void exportThenImportTheModelElsewhereGivesIdenticalScores() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path data = tiny.category().getParent();
        String category = tiny.category().getFileName().toString();
        Path zip = tmp.resolve("line-3.zip");
        CliRun first = CliRun.of("export", "--data", data.toString(), "--category", category,
                "--model", tiny.model().toString(), "--out", tmp.resolve("a").toString(), "--model-zip", zip.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("model packed into").contains("image AUROC");

        List<String> csv = Files.readAllLines(tmp.resolve("a/results.csv"));
        assertThat(csv.get(0)).isEqualTo("file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map");
        // 2 good + 3 defect types x 2 in the tiny sample; MVTec ground truth becomes the annotated label.
        assertThat(csv).hasSize(9);
        assertThat(csv).anyMatch(l -> l.startsWith("good/000.png,") && l.endsWith(",ok,,maps/good_000_fused.png"));
        assertThat(csv).anyMatch(l -> l.startsWith("hole/000.png,") && l.endsWith(",defect,,maps/hole_000_fused.png"));
        assertThat(tmp.resolve("a/maps/hole_000_fused_overlay.png")).exists();
        assertThat(Files.readString(tmp.resolve("a/report.html"))).contains("Image AUROC").contains("<svg");

        Path otherWorkstation = tmp.resolve("workstation-b/model");
        CliRun imported = CliRun.of("import-model", zip.toString(), "--model", otherWorkstation.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported model into");

        CliRun second = CliRun.of("export", "--data", data.toString(), "--category", category,
                "--model", otherWorkstation.toString(), "--out", tmp.resolve("b").toString(), "--no-maps", "--no-html");
        assertThat(second.code()).as(second.err()).isZero();
        // the same rows, without maps to name
        assertThat(Files.readAllLines(tmp.resolve("b/results.csv"))).isEqualTo(csv.stream()
                .map(l -> l.startsWith("file,") ? l : l.substring(0, l.lastIndexOf(',') + 1)).toList());
        assertThat(tmp.resolve("b/maps")).doesNotExist();
        assertThat(tmp.resolve("b/report.html")).doesNotExist();

        // the zip beside the results, twice: it was written, then the folder was refused as someone else's
        for (int run = 0; run < 2; run++) {
            CliRun together = CliRun.of("export", "--data", data.toString(), "--category", category, "--model",
                    tiny.model().toString(), "--out", tmp.resolve("c").toString(), "--model-zip",
                    tmp.resolve("c/model.zip").toString(), "--no-maps", "--no-html");
            assertThat(together.code()).as(together.err()).isZero();
            assertThat(tmp.resolve("c/model.zip")).exists();
            assertThat(tmp.resolve("c/results.csv")).exists();
        }
    }

    @Test
    void aRunThatFailsBeforeInspectingLeavesTheEarlierResultsOfInferAndExport() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path exported = tmp.resolve("exported");
        Path inferred = tmp.resolve("inferred");
        Path images = tiny.category().resolve("test/hole");
        assertThat(exportTiny(tiny.model(), exported).code()).isZero();
        assertThat(CliRun.of("infer", "--model", tiny.model().toString(), "--images", images.toString(), "--out",
                inferred.toString()).code()).isZero();
        List<Path> before = tree(exported, inferred);

        // a damaged copy of the model: found when the run opens it, after it has claimed its --out
        Path damaged = tmp.resolve("damaged");
        Files.createDirectories(damaged);
        try (var files = Files.list(tiny.model())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, damaged.resolve(f.getFileName()));
            }
        }
        try (var files = Files.list(damaged)) {
            for (Path weights : files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).toList()) {
                byte[] bytes = Files.readAllBytes(weights);
                Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            }
        }
        CliRun export = exportTiny(damaged, exported);
        CliRun infer = CliRun.of("infer", "--model", damaged.toString(), "--images", images.toString(), "--out",
                inferred.toString());
        assertThat(export.code()).isNotZero();
        assertThat(infer.code()).isNotZero();
        assertThat(export.err() + infer.err()).doesNotContain("replacing the results of an earlier run");
        assertThat(tree(exported, inferred)).isEqualTo(before);
    }

    @Test
    void inferIntoAFolderExportWroteLeavesNoneOfTheExportBehindAndTheOtherWayRound() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path images = tiny.category().resolve("test/hole");
        Path mixed = tmp.resolve("mixed");
        assertThat(exportTiny(tiny.model(), mixed).code()).isZero();
        assertThat(mixed.resolve("maps")).isDirectory();
        Files.writeString(mixed.resolve("maps/notes.txt"), "a person's own notes beside the maps");

        CliRun infer = CliRun.of("infer", "--model", tiny.model().toString(), "--images", images.toString(), "--out",
                mixed.toString());
        assertThat(infer.code()).as(infer.err()).isZero();
        try (var left = Files.list(mixed.resolve("maps"))) {
            assertThat(left.map(f -> f.getFileName().toString())).as("the maps go, the notes stay")
                    .containsExactly("notes.txt");
        }
        assertThat(mixed.resolve("report.html")).doesNotExist();
        assertThat(Files.readAllLines(mixed.resolve("results.csv"))).hasSize(3); // the header and two hole images

        assertThat(exportTiny(tiny.model(), mixed).code()).isZero();
        try (var files = Files.list(mixed)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".fused.png"));
        }

        // A person's own file named like the map an image would get stays; the run's map takes another name.
        Path inferred = tmp.resolve("inferred");
        assertThat(CliRun.of("infer", "--model", tiny.model().toString(), "--images", images.toString(), "--out",
                inferred.toString()).code()).isZero();
        // a person replaces the run's map of 000.png with a picture of their own (later than the run's end)
        Path mine = Files.writeString(inferred.resolve("000.fused.png"), "a person's picture");
        Files.setLastModifiedTime(mine, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(CliRun.of("infer", "--model", tiny.model().toString(), "--images", images.toString(), "--out",
                inferred.toString()).code()).isZero();
        assertThat(mine).hasContent("a person's picture");
        assertThat(Files.readString(inferred.resolve("results.csv"))).contains("000.png.fused.png");

        // the same for export's maps/
        Path exported = tmp.resolve("exported");
        assertThat(exportTiny(tiny.model(), exported).code()).isZero();
        Path someMap;
        try (var maps = Files.list(exported.resolve("maps"))) {
            someMap = maps.filter(f -> f.getFileName().toString().endsWith("_overlay.png")).sorted().findFirst()
                    .orElseThrow();
        }
        Files.writeString(someMap, "a person's picture");
        Files.setLastModifiedTime(someMap, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(exportTiny(tiny.model(), exported).code()).isZero();
        assertThat(someMap).hasContent("a person's picture");
    }

    /** {@code export} of the tiny sample category with a model into {@code out}. */
    private static CliRun exportTiny(Path model, Path out) {
        TinyModel tiny = TinyModel.get();
        return CliRun.of("export", "--data", tiny.category().getParent().toString(), "--category",
                tiny.category().getFileName().toString(), "--model", model.toString(), "--out", out.toString());
    }

    private static List<Path> tree(Path... roots) throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (Path root : roots) {
            try (var walk = Files.walk(root)) {
                walk.sorted().forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void anOutputFileNeverReplacesAnImageAModelFileOrADocumentOfAnotherKind() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path data = tiny.category().getParent();
        String category = tiny.category().getFileName().toString();
        Path image = Files.copy(tiny.category().resolve("test/good/000.png"), tmp.resolve("photo.png"));
        byte[] imageBytes = Files.readAllBytes(image);
        CliRun zipOverImage = CliRun.of("export", "--data", data.toString(), "--category", category,
                "--model", tiny.model().toString(), "--model-zip", image.toString());
        assertThat(zipOverImage.code()).isEqualTo(2);
        assertThat(zipOverImage.err()).contains("photo.png").contains("is not a model archive");
        CliRun csvOverImage = CliRun.of("review-queue", "--model", tiny.model().toString(), "--images",
                tiny.category().resolve("test/good").toString(), "--out", image.toString());
        assertThat(csvOverImage.code()).isEqualTo(2);
        assertThat(csvOverImage.err()).contains("is not a results CSV");
        assertThat(Files.readAllBytes(image)).isEqualTo(imageBytes);

        // a zip of photos and a CSV of notes whose first column is "file" are the user's too
        Path photos = tmp.resolve("photos.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(photos))) {
            z.putNextEntry(new java.util.zip.ZipEntry("holiday1.png"));
            z.write(imageBytes);
        }
        byte[] photosBytes = Files.readAllBytes(photos);
        CliRun zipOverPhotos = CliRun.of("export", "--data", data.toString(), "--category", category,
                "--model", tiny.model().toString(), "--model-zip", photos.toString());
        assertThat(zipOverPhotos.code()).isEqualTo(2);
        assertThat(zipOverPhotos.err()).contains("photos.zip").contains("is not a model archive");
        assertThat(Files.readAllBytes(photos)).isEqualTo(photosBytes);
        Path notes = Files.writeString(tmp.resolve("notes.csv"), "file,notes\nimg1.png,recheck\n");
        CliRun csvOverNotes = CliRun.of("review-queue", "--model", tiny.model().toString(), "--images",
                tiny.category().resolve("test/good").toString(), "--out", notes.toString());
        assertThat(csvOverNotes.code()).isEqualTo(2);
        assertThat(csvOverNotes.err()).contains("notes.csv").contains("is not a results CSV");
        assertThat(Files.readString(notes)).isEqualTo("file,notes\nimg1.png,recheck\n");

        Path modelFile = tiny.model().resolve("model.json");
        byte[] modelBytes = Files.readAllBytes(modelFile);
        CliRun jsonOverModel = CliRun.of("eval", "--data", data.toString(), "--category", category,
                "--model", tiny.model().toString(), "--json", modelFile.toString());
        assertThat(jsonOverModel.code()).isEqualTo(2);
        assertThat(jsonOverModel.err()).contains("is inside the model folder");
        assertThat(Files.readAllBytes(modelFile)).isEqualTo(modelBytes);
    }

    @Test
    void imagesWithoutAResultMakeTheExportFailAfterWritingTheirErrorRows() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.copy(tiny.category().resolve("test/good/000.png"), images.resolve("good.png"));
        Files.write(images.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        CliRun r = CliRun.of("export", "--images", images.toString(), "--model", tiny.model().toString(), "--out",
                tmp.resolve("out").toString(), "--no-maps", "--no-html");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("1 of 2 images has no result");
        assertThat(r.err().lines().filter(l -> l.startsWith("warning:")))
                .allMatch(l -> l.indexOf("corrupt.png") == l.lastIndexOf("corrupt.png"));
        List<String> csv = Files.readAllLines(tmp.resolve("out/results.csv"));
        assertThat(csv).anyMatch(l -> l.startsWith("corrupt.png,") && l.contains(",ERROR,"));
        assertThat(csv).anyMatch(l -> l.startsWith("good.png,"));
    }

    @Test
    void aProjectsOwnAnnotationsGoIntoTheResults() throws IOException {
        Path project = TinyModel.get().project(tmp.resolve("project"), true);
        AnnotationStore store = AnnotationStore.forProject(project);
        // A person disagrees with the MVTec labels of two images.
        store.save(project.resolve("inspect/hole/000.png"), ImageAnnotation.OK);
        store.save(project.resolve("inspect/good/001.png"), ImageAnnotation.defect("stain", null));
        CliRun r = CliRun.of("export", "--project", project.toString(), "--out", tmp.resolve("out").toString(),
                "--no-maps");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(tmp.resolve("out/results.csv"));
        assertThat(csv).anyMatch(l -> l.startsWith("hole/000.png,") && l.endsWith(",ok,,"));
        assertThat(csv).anyMatch(l -> l.startsWith("good/001.png,") && l.endsWith(",defect,,"));
        // A defect without a painted mask is known to be defective but not where: all 8 images count in the image
        // metrics, the 7 with known pixels in the pixel metrics.
        assertThat(Files.readString(tmp.resolve("out/report.html"))).contains("<th>Evaluated images</th><td>8</td>")
                .contains("Note: images labelled defect without a painted mask count in the image metrics");
        assertThat(r.out()).contains("(8 labelled images)")
                .contains("images labelled defect without a painted mask count in the image metrics, not in the pixel "
                        + "metrics: good/001.png");
    }

    @Test
    void aProjectsExportJudgesByTheThresholdsSetInTheWorkstation() throws IOException {
        Path project = TinyModel.get().project(tmp.resolve("project"), true);
        String settings = "{\"version\":1,\"name\":\"p\",\"training\":{\"method\":\"dmdd\"},\"device\":\"auto\"";
        Files.writeString(project.resolve("project.json"), settings + "}");
        CliRun calibrated = CliRun.of("export", "--project", project.toString(), "--out", tmp.resolve("a").toString(),
                "--no-maps", "--no-html");
        assertThat(calibrated.code()).as(calibrated.err()).isZero();
        assertThat(calibrated.out()).doesNotContain("thresholds set in the workstation");
        java.util.Map<String, String[]> before = rows(tmp.resolve("a/results.csv"));
        double[] scores = before.values().stream().mapToDouble(r -> Double.parseDouble(r[1])).sorted().distinct()
                .toArray();
        assertThat(scores.length).isGreaterThanOrEqualTo(4);
        // Moved in the workstation: a third OK, a third UNSURE, a third NG (midway between scores).
        int third = scores.length / 3;
        double ok = (scores[third - 1] + scores[third]) / 2;
        double ng = (scores[2 * third - 1] + scores[2 * third]) / 2;
        String thresholds = settings + ",\"imageThreshold\":" + ok + ",\"ngThreshold\":" + ng;
        // Set for an earlier model of the slot: not applied to this one (it scores on its own scale).
        Files.writeString(project.resolve("project.json"), thresholds + ",\"thresholdsModel\":\"0123abcd\"}");
        CliRun earlier = CliRun.of("export", "--project", project.toString(), "--out", tmp.resolve("c").toString(),
                "--no-maps", "--no-html");
        assertThat(earlier.code()).as(earlier.err()).isZero();
        assertThat(earlier.out()).contains("were set for an earlier model (or saved without naming one); this model's calibrated "
                + "ones apply");
        assertThat(rows(tmp.resolve("c/results.csv")).values()).extracting(r -> r[2])
                .isEqualTo(before.values().stream().map(r -> r[2]).toList());
        String modelId = dmdd.model.infer.ModelFolder.read(project.resolve("model")).identity();
        Files.writeString(project.resolve("project.json"), thresholds + ",\"thresholdsModel\":\"" + modelId + "\"}");

        CliRun user = CliRun.of("export", "--project", project.toString(), "--out", tmp.resolve("b").toString(),
                "--no-maps", "--no-html");
        assertThat(user.code()).as(user.err()).isZero();
        assertThat(user.out()).contains("thresholds set in the workstation");
        java.util.Map<String, String[]> after = rows(tmp.resolve("b/results.csv"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String[] row : after.values()) {
            double score = Double.parseDouble(row[1]);
            String expected = score <= ok ? "OK" : score <= ng ? "UNSURE" : "NG";
            assertThat(row[2]).as(row[0] + " scored " + score).isEqualTo(expected);
            assertThat(Double.parseDouble(row[3])).isEqualTo(ok, org.assertj.core.data.Offset.offset(1e-6 * ok));
        }
        assertThat(after.values()).anyMatch(r -> r[2].equals("UNSURE"));
        assertThat(user.out()).contains(after.values().stream().filter(r -> r[2].equals("UNSURE")).count()
                + " UNSURE");

        // review-queue on the project's model (its images in one flat folder, as it reads them): the workstation's
        // thresholds, so the same images to review
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (String name : after.keySet()) {
            Files.copy(project.resolve("inspect").resolve(name), flat.resolve(name.replace('/', '_')));
        }
        CliRun queue = CliRun.of("review-queue", "--model", project.resolve("model").toString(), "--images",
                flat.toString());
        assertThat(queue.code()).as(queue.err()).isZero();
        assertThat(queue.err()).contains("thresholds set in the workstation");
        java.util.Set<String> queued = new java.util.TreeSet<>();
        for (String line : queue.out().lines().skip(1).toList()) {
            queued.add(line.split(",", -1)[0]);
        }
        java.util.Set<String> unsure = new java.util.TreeSet<>();
        after.forEach((file, row) -> {
            if (row[2].equals("UNSURE")) {
                unsure.add(file.replace('/', '_'));
            }
        });
        assertThat(queued).isEqualTo(unsure);
        // named through a link, the project's model is still the project's
        Path link = Files.createSymbolicLink(tmp.resolve("model-link"), project.resolve("model"));
        CliRun linked = CliRun.of("review-queue", "--model", link.toString(), "--images", flat.toString());
        assertThat(linked.code()).as(linked.err()).isZero();
        assertThat(linked.out()).isEqualTo(queue.out());

        // infer on the project's model gives the workstation's verdicts too
        CliRun infer = CliRun.of("infer", "--model", project.resolve("model").toString(), "--images", flat.toString(),
                "--out", tmp.resolve("inferred").toString());
        assertThat(infer.code()).as(infer.err()).isZero();
        assertThat(infer.err()).contains("thresholds set in the workstation");
        java.util.Map<String, String[]> inferred = rows(tmp.resolve("inferred/results.csv"));
        after.forEach((file, row) -> assertThat(inferred.get(file.replace('/', '_'))[2]).as(file).isEqualTo(row[2]));

        // and the model zip for another workstation or the batch job carries them: there its verdicts are these
        Path zip = tmp.resolve("model.zip");
        CliRun packed = CliRun.of("export", "--project", project.toString(), "--model-zip", zip.toString());
        assertThat(packed.code()).as(packed.err()).isZero();
        assertThat(packed.out()).contains("with the thresholds set in the workstation");
        assertThat(dmdd.model.export.ModelArchive.inspect(zip).carriesWorkstationThresholds()).isTrue();
        dmdd.model.infer.ModelFolder unpacked = dmdd.model.export.ModelArchive.importInto(zip, tmp.resolve("elsewhere"));
        assertThat(unpacked.identity()).isEqualTo(modelId);
        assertThat(unpacked.thresholds().image()).isEqualTo(ok);
        assertThat(unpacked.thresholds().imageNg()).isEqualTo(ng);
        CliRun elsewhere = CliRun.of("infer", "--model", tmp.resolve("elsewhere").toString(), "--images",
                flat.toString(), "--out", tmp.resolve("inferred-elsewhere").toString());
        assertThat(elsewhere.code()).as(elsewhere.err()).isZero();
        assertThat(rows(tmp.resolve("inferred-elsewhere/results.csv"))).usingRecursiveComparison().isEqualTo(inferred);
        // packed again there, the zip still says whose thresholds it carries
        Path again = tmp.resolve("again.zip");
        assertThat(CliRun.of("export", "--model", tmp.resolve("elsewhere").toString(), "--model-zip", again.toString())
                .code()).isZero();
        assertThat(dmdd.model.export.ModelArchive.inspect(again).carriesWorkstationThresholds()).isTrue();

        // a project whose model folder is itself a link to a model kept elsewhere: still the project's model
        Path linkedProject = Files.createDirectories(tmp.resolve("linked-project"));
        Files.copy(project.resolve("project.json"), linkedProject.resolve("project.json"));
        Files.createSymbolicLink(linkedProject.resolve("model"), tmp.resolve("elsewhere"));
        CliRun throughLink = CliRun.of("infer", "--model", linkedProject.resolve("model").toString(), "--images",
                flat.toString(), "--out", tmp.resolve("inferred-link").toString());
        assertThat(throughLink.code()).as(throughLink.err()).isZero();
        assertThat(throughLink.err()).contains("thresholds set in the workstation");
    }

    private static java.util.Map<String, String[]> rows(Path csv) throws IOException {
        java.util.Map<String, String[]> rows = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] cells = line.split(",", -1);
            rows.put(cells[0], cells);
        }
        return rows;
    }

    @Test
    void aProjectWhoseChosenMethodIsUntrainedSaysWhichModelsItHas() throws IOException {
        Path project = TinyModel.get().project(tmp.resolve("project"), true);
        Files.writeString(project.resolve("project.json"),
                "{\"version\":1,\"name\":\"p\",\"training\":{\"method\":\"aand\"},\"device\":\"auto\"}");
        CliRun r = CliRun.of("export", "--project", project.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("its chosen method, AAND, has no trained model yet")
                .contains("trained: DMDD (--model " + project.toAbsolutePath().resolve("model"));
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aPlainFolderOfImagesHasNoAnnotationsAndNoMetrics() throws IOException {
        TinyModel tiny = TinyModel.get();
        CliRun r = CliRun.of("export", "--images", tiny.category().resolve("test").toString(), "--model",
                tiny.model().toString(), "--out", tmp.resolve("plain").toString(), "--no-maps", "--worst", "2");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(tmp.resolve("plain/results.csv"));
        assertThat(csv).hasSize(9);
        assertThat(csv.subList(1, 9)).allMatch(l -> l.endsWith(",unlabelled,,"));
        assertThat(r.out()).contains("no metrics");
        assertThat(Files.readString(tmp.resolve("plain/report.html"))).contains("No metrics")
                .doesNotContain("<svg");
    }

    @Test
    void foreignOrDamagedZipsAreRefusedInOneLine() throws IOException {
        Path foreign = tmp.resolve("photos.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(foreign))) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        CliRun r = CliRun.of("import-model", foreign.toString(), "--model", tmp.resolve("m").toString());
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("not a DMDD model archive");
        assertThat(tmp.resolve("m")).doesNotExist();

        Path text = Files.writeString(tmp.resolve("model.zip"), "not a zip");
        CliRun damaged = CliRun.of("import-model", text.toString(), "--model", tmp.resolve("m").toString());
        assertThat(damaged.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(damaged.err()).contains("not a zip file or is damaged");
    }

    @Test
    void resultsAndModelsNeverGoAmongTheImagesTheyWouldBecomePartOf() throws IOException {
        Path project = TinyModel.get().project(tmp.resolve("project"), true);
        CliRun intoProject = CliRun.of("export", "--project", project.toString(), "--out",
                project.resolve("inspect/results").toString(), "--no-html");
        assertThat(intoProject.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(intoProject.err()).contains("inside the project's inspect/");
        assertThat(project.resolve("inspect/results")).as("nothing created there").doesNotExist();

        Path category = TinyModel.get().category();
        String data = category.getParent().toString();
        String name = category.getFileName().toString();
        CliRun intoCategory = CliRun.of("export", "--data", data, "--category", name, "--model",
                TinyModel.get().model().toString(), "--out", category.resolve("test/results").toString());
        assertThat(intoCategory.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(intoCategory.err()).contains("inside the category " + name);
        assertThat(category.resolve("test/results")).doesNotExist();
        Path link = Files.createSymbolicLink(tmp.resolve("test-link"), category.resolve("test"));
        CliRun throughLink = CliRun.of("export", "--data", data, "--category", name, "--model",
                TinyModel.get().model().toString(), "--out", link.resolve("results").toString());
        assertThat(throughLink.code()).as("a link to the category is seen through").isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(category.resolve("test/results")).doesNotExist();
        CliRun trainInto = CliRun.of("train", "--data", data, "--category", name, "--out",
                category.resolve("test/mymodel").toString(), "--steps", "1");
        assertThat(trainInto.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(category.resolve("test/mymodel")).doesNotExist();
        Path documents = Files.createDirectories(tmp.resolve("documents"));
        Files.writeString(documents.resolve("notes.txt"), "mine");
        CliRun intoDocuments = CliRun.of("train", "--data", data, "--category", name, "--out", documents.toString(),
                "--steps", "1");
        assertThat(intoDocuments.code()).as("a user's mistake, exit 2").isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(intoDocuments.err()).contains("is not a model folder");
        assertThat(documents.resolve("notes.txt")).hasContent("mine");
        // Nothing goes into a model folder but its model: results there were read as a damaged version, and a model
        // saved into versions/ rewrote the kept history
        Path model = TinyModel.copyTree(TinyModel.get().model(), tmp.resolve("own-model"));
        TinyModel.copyTree(TinyModel.get().model(), model.resolve("versions/v001"));
        String images = category.resolve("test/good").toString();
        // and not through a link to its versions/ either
        Path versionsLink = Files.createSymbolicLink(tmp.resolve("vlink"), model.resolve("versions"));
        for (String[] args : List.of(
                new String[] {"infer", "--model", model.toString(), "--images", images, "--out",
                        versionsLink.resolve("v009").toString()},
                new String[] {"train", "--data", data, "--category", name, "--out",
                        versionsLink.resolve("v002").toString(), "--steps", "1"},
                new String[] {"infer", "--model", model.toString(), "--images", images, "--out", model.resolve("res")
                        .toString()},
                new String[] {"infer", "--model", model.toString(), "--images", images, "--out",
                        model.resolve("versions/v009").toString()},
                new String[] {"improve", "--model", model.resolve("versions/v001").toString(), "--normal", images,
                        "--steps", "1"},
                new String[] {"train", "--data", data, "--category", name, "--out",
                        model.resolve("versions/v002").toString(), "--steps", "1"},
                new String[] {"import-model", "--model", model.resolve("versions/v001").toString(),
                        tmp.resolve("any.zip").toString()})) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(DmddCli.EXIT_USAGE);
            assertThat(r.err()).contains("inside the model folder " + model);
        }
        CliRun intoModel = CliRun.of("infer", "--model", model.toString(), "--images", images, "--out",
                model.toString());
        assertThat(intoModel.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(intoModel.err()).contains("is a model folder; write it elsewhere");
        assertThat(model.resolve("res")).doesNotExist();
        assertThat(model.resolve("versions/v009")).doesNotExist();
        assertThat(model.resolve("versions/v002")).doesNotExist();
        // A run that fails before writing (no such GPU) leaves no new, marked folder that looks like results.
        CliRun noGpu = CliRun.of("infer", "--model", TinyModel.get().model().toString(), "--images",
                category.resolve("test/good").toString(), "--out", tmp.resolve("fresh").toString(), "--device", "gpu:1");
        assertThat(noGpu.code()).isNotZero();
        assertThat(tmp.resolve("fresh")).doesNotExist();
    }

    @Test
    void exportNeedsSomethingToDo() {
        CliRun r = CliRun.of("export", "--model", tmp.toString());
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.err()).contains("nothing to export");
    }
}
