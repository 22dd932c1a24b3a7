package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTableCommandTest {
    @TempDir
    Path tmp;

    private void result(String method, String category, double imageAuroc, double pixelAuroc, double aupro,
                        Integer seconds) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(method));
        Files.writeString(dir.resolve(category + ".json"), "{\"image_auroc\": " + imageAuroc + ", \"pixel_auroc\": "
                + pixelAuroc + ", \"aupro\": " + aupro + ", \"pixel_ap\": null, \"image_f1max\": 1.0,"
                + " \"test_images\": 3, \"seconds\": 1.0, \"maps\": {\"normality\": {\"pixel_auroc\": "
                + (method.equals("baseline") ? pixelAuroc : pixelAuroc - 0.1) + ", \"aupro\": 0.5}, \"abnormality\": "
                + "{\"pixel_auroc\": 0.6, \"aupro\": 0.4}, \"fused\": {\"pixel_auroc\": " + pixelAuroc
                + ", \"aupro\": " + aupro + "}}}");
        if (seconds != null) {
            Files.writeString(dir.resolve(category + ".train_seconds"), seconds + "\n");
        }
    }

    @Test
    void printsAnomalibStyleTablesWithAverages() throws IOException {
        result("baseline", "grass", 0.5, 0.6, 0.7, 60);
        result("dmdd", "grass", 0.9, 0.95, 0.8, 600);
        result("dmdd", "brick", 1.0, 0.97, 0.9, 300);
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // Columns sorted by category; DMDD row first; averages over categories; a missing cell is "-".
        assertThat(r.out()).contains("| Image AUROC | Avg | brick | grass |")
                .contains("| DMDD | 0.950 | 1.000 | 0.900 |")
                .contains("| Baseline (ST) | - | - | 0.500 |")
                .contains("| Pixel AUROC | Avg | brick | grass |")
                .contains("| DMDD | 0.960 | 0.970 | 0.950 |")
                .contains("| DMDD | 0.850 | 0.900 | 0.800 |")
                .contains("| DMDD | 7.5 | 5.0 | 10.0 |");
        assertThat(r.out().indexOf("| DMDD | 0.950")).isLessThan(r.out().indexOf("| Baseline (ST) | - | - | 0.500"));
        // DMDD's branch maps differ from its fused map: extra rows; the baseline's are one map: none.
        assertThat(r.out()).contains("| DMDD, normality map | 0.860 | 0.870 | 0.850 |")
                .contains("| DMDD, abnormality map | 0.400 | 0.400 | 0.400 |")
                .doesNotContain("Baseline (ST), normality map");
        // pixel_ap is null in these files: shown as "-".
        assertThat(r.out()).contains("| DMDD | - | - | - |");
        // no per-image scores in these files: no table by kind of defect
        assertThat(r.out()).doesNotContain("by defect kind");
    }

    @Test
    void aCategoryNamedWithABarStaysOneColumn() throws IOException {
        result("dmdd", "a|b", 0.9, 0.95, 0.8, 60);
        result("dmdd", "brick", 1.0, 0.97, 0.9, 60);
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| Image AUROC | Avg | a\\|b | brick |").contains("| DMDD | 0.950 | 0.900 | 1.000 |");
        // every row has as many cells as its table's separator: nothing shifts
        r.out().lines().filter(line -> line.startsWith("|")).forEach(line ->
                assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count()).as(line).isEqualTo(5));
    }

    @Test
    void aPerLevelMethodsMapsAreNamedByLevel() throws IOException {
        result("aand", "grass", 0.9, 0.95, 0.8, 60);
        Path json = tmp.resolve("aand").resolve("grass.json");
        Files.writeString(json, Files.readString(json).replaceFirst("^\\{", "{\"method\": \"aand\", "));
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| AAND, fine-level map | 0.850 | 0.850 |")
                .contains("| AAND, coarse-levels map | 0.600 | 0.600 |").doesNotContain("AAND, normality map");
    }

    @Test
    void eachKindOfDefectGetsItsImageAurocFromThePerImageScores() throws IOException {
        result("dmdd", "grass", 0.9, 0.95, 0.8, 60);
        result("dmdd", "brick", 1.0, 0.97, 0.9, 60);
        result("baseline", "grass", 0.5, 0.6, 0.7, 60);
        images("dmdd", "grass", "{\"file\": \"good/000.png\", \"label\": \"ok\", \"score\": 0.2}",
                "{\"file\": \"good/001.png\", \"label\": \"ok\", \"score\": 0.6}",
                // cracks: 0.7 beats both good images, 0.4 one of two: 3 of 4 pairs
                "{\"file\": \"crack/000.png\", \"label\": \"defect\", \"score\": 0.7}",
                "{\"file\": \"crack/001.png\", \"label\": \"defect\", \"score\": 0.4}",
                "{\"file\": \"stain/000.png\", \"label\": \"defect\", \"score\": 0.9}",
                // not evaluated: left out, as eval left it out of its metrics
                "{\"file\": \"stain/001.png\", \"label\": \"defect\", \"score\": 0.1, \"evaluated\": false}");
        images("dmdd", "brick", "{\"file\": \"good/000.png\", \"label\": \"ok\", \"score\": 0.2}",
                "{\"file\": \"pit/000.png\", \"label\": \"defect\", \"score\": 0.1}");
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| Image AUROC by defect kind (against the good images) | Category | crack | pit "
                        + "| stain |")
                .contains("| DMDD | brick | - | 0.000 | - |")
                .contains("| DMDD | grass | 0.750 | - | 1.000 |")
                // the baseline's files have no per-image scores: no row
                .doesNotContain("| Baseline (ST) | grass |");
    }

    @Test
    void falseAlarmsAndMissesAreCountedFromTheVerdictsPerCategoryAndInAll() throws IOException {
        result("dmdd", "grass", 0.9, 0.95, 0.8, 60);
        result("dmdd", "brick", 1.0, 0.97, 0.9, 60);
        images("dmdd", "grass", "{\"file\": \"good/000.png\", \"label\": \"ok\", \"score\": 0.2, \"verdict\": \"OK\"}",
                // an UNSURE good image is a false alarm: a person has to look at it
                "{\"file\": \"good/001.png\", \"label\": \"ok\", \"score\": 0.5, \"verdict\": \"UNSURE\"}",
                "{\"file\": \"crack/000.png\", \"label\": \"defect\", \"score\": 0.1, \"verdict\": \"OK\"}",
                "{\"file\": \"crack/001.png\", \"label\": \"defect\", \"score\": 0.9, \"verdict\": \"NG\"}",
                // an image without a score has no verdict to count
                "{\"file\": \"crack/002.png\", \"label\": \"defect\", \"score\": null, \"verdict\": \"ERROR\"}");
        images("dmdd", "brick", "{\"file\": \"good/000.png\", \"label\": \"ok\", \"score\": 0.7, \"verdict\": \"NG\"}",
                "{\"file\": \"pit/000.png\", \"label\": \"defect\", \"score\": 0.8, \"verdict\": \"NG\"}");
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| False alarms (good flagged) / misses (defective called OK) | All | brick | grass |")
                .contains("| DMDD | 2/3 \u00b7 1/3 | 1/1 \u00b7 0/1 | 1/2 \u00b7 1/2 |");
    }

    @Test
    void aBadFileStopsTheCommandBeforeAnyTableAndEmptyFoldersAreNoMethods() throws IOException {
        result("dmdd", "grass", 0.9, 0.95, 0.8, 60);
        Files.createDirectories(tmp.resolve("empty"));
        Files.createDirectories(tmp.resolve("dmdd").resolve("folder.json"));
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| Image AUROC | Avg | grass |").doesNotContain("empty").doesNotContain("folder");

        Files.writeString(tmp.resolve("dmdd").resolve("brick.json"), "{\"image_auroc\": ");
        CliRun broken = CliRun.of("benchmark-table", tmp.toString());
        assertThat(broken.code()).isNotZero();
        assertThat(broken.err()).contains("brick.json").contains("not a readable eval JSON")
                .doesNotContain("Source:").doesNotContain("StreamReadFeature");
        assertThat(broken.out()).isEmpty();
    }

    @Test
    void whatIsNotOneModelsEvalResultIsRefusedByName() throws IOException {
        result("dmdd", "grass", 0.9, 0.95, 0.8, 60);
        Path brick = tmp.resolve("dmdd").resolve("brick.json");
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("", "is empty, not an eval result");
        refused.put("{}", "not an eval result (no image_auroc)");
        refused.put("[1, 2]", "not an eval result (no image_auroc)");
        refused.put("{\"models\": [{\"image_auroc\": 0.9}]}", "holds several models");
        refused.put("{\"image_auroc\": 7.5}", "image_auroc is 7.5, not a number in [0, 1]");
        refused.put("{\"image_auroc\": 0.9, \"pixel_auroc\": [1]}", "pixel_auroc is [1], not a number in [0, 1]");
        refused.put("{\"image_auroc\": \"high\"}", "image_auroc is \"high\", not a number in [0, 1]");
        for (java.util.Map.Entry<String, String> e : refused.entrySet()) {
            Files.writeString(brick, e.getKey());
            CliRun r = CliRun.of("benchmark-table", tmp.toString());
            assertThat(r.code()).as(e.getKey()).isEqualTo(DmddCli.EXIT_USAGE);
            assertThat(r.err()).as(e.getKey()).contains(brick.toString()).contains(e.getValue());
            assertThat(r.out()).isEmpty();
        }
        Files.writeString(brick, "{\"image_auroc\": null, \"pixel_auroc\": 0.9}"); // undefined metrics are blanks
        assertThat(CliRun.of("benchmark-table", tmp.toString()).code()).isZero();
        Files.writeString(tmp.resolve("dmdd").resolve("grass.train_seconds"), "-5\n");
        CliRun negative = CliRun.of("benchmark-table", tmp.toString());
        assertThat(negative.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(negative.err()).contains("grass.train_seconds: expected a number of seconds, got -5.0");
    }

    @Test
    void imagesWithoutALabelCountNeitherAsGoodNorAsDefective() throws IOException {
        result("dmdd", "grass", 0.9, 0.95, 0.8, 60);
        images("dmdd", "grass", "{\"file\": \"good/000.png\", \"label\": \"ok\", \"score\": 0.2}",
                "{\"file\": \"crack/000.png\", \"label\": \"defect\", \"score\": 0.5}",
                "{\"file\": \"stain/000.png\", \"label\": \"defect\", \"score\": 0.1}",
                // an older file without "evaluated": an unlabelled image above the crack would make it 0.5
                "{\"file\": \"odd.v2/000.png\", \"label\": \"unlabelled\", \"score\": 0.9}");
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| DMDD | grass | 1.000 | 0.000 |").doesNotContain("odd.v2");
    }

    /** Adds per-image rows, as eval writes them, to a result file. */
    private void images(String method, String category, String... rows) throws IOException {
        Path json = tmp.resolve(method).resolve(category + ".json");
        Files.writeString(json, Files.readString(json).replaceFirst("\\}$", ", \"images\": [" + String.join(", ", rows)
                + "]}"));
    }

    @Test
    void anEmptyResultsFolderIsOneLine() {
        CliRun r = CliRun.of("benchmark-table", tmp.toString());
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("no method folders");
    }
}
