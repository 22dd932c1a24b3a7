package dmdd.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Thresholds;
import dmdd.model.metrics.Evaluation;
import dmdd.model.viz.Colormap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsExporterTest {
    private static final int W = 12;
    private static final int H = 8;

    @TempDir
    Path out;

    static Thresholds thresholds() {
        Thresholds.Range range = new Thresholds.Range(0.1, 0.9);
        return new Thresholds(0.5, 0.7, 0.6, range, range, range,
                new Thresholds.ScoreStatistics(3, 0.2, 0.05, 0.1, 0.2, 0.3), "validation");
    }

    /** Maps that are 0.05 everywhere and {@code peak} inside a 3 x 3 square at (4, 2). */
    static AnomalyMaps maps(double score, float peak) {
        float[] m = new float[W * H];
        java.util.Arrays.fill(m, 0.05f);
        for (int y = 2; y < 5; y++) {
            for (int x = 4; x < 7; x++) {
                m[y * W + x] = peak;
            }
        }
        return new AnomalyMaps(W, H, m.clone(), m.clone(), m, score);
    }

    static Mask square() {
        boolean[] p = new boolean[W * H];
        for (int y = 2; y < 5; y++) {
            for (int x = 4; x < 7; x++) {
                p[y * W + x] = true;
            }
        }
        return Mask.of(W, H, p);
    }

    static RgbImage gray() {
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                b.setRGB(x, y, 0x808080);
            }
        }
        return RgbImage.fromBufferedImage(b);
    }

    @Test
    void csvMapsAndASelfContainedReport() throws IOException {
        ResultsExporter exporter = new ResultsExporter(out, thresholds(), new ResultsExporter.Options(true, true, true, 2, 64),
                dmdd.model.dmdd.Method.DMDD);
        Evaluation evaluation = new Evaluation();
        record Case(String file, double score, float peak, Label label, boolean defect) {
        }
        List<Case> cases = List.of(new Case("good/000.png", 0.2, 0.05f, Label.OK, false),
                new Case("crack/000.png", 0.8, 0.95f, Label.DEFECT, true),
                new Case("crack/001.png", 0.4, 0.7f, Label.DEFECT, true),
                new Case("odd, name.png", 0.6, 0.05f, null, false));
        for (Case c : cases) {
            AnomalyMaps m = maps(c.score(), c.peak());
            exporter.add(c.file(), gray(), m, c.label());
            if (c.label() != null) {
                evaluation.add(m.score(), c.defect(), m.normality(), m.abnormality(), m.fused(),
                        c.defect() ? square() : Mask.empty(W, H));
            }
        }
        exporter.failed("broken.png", Label.UNLABELLED, "broken.png: not an image, truncated");
        // a defect a person marked stays one in the ERROR row of its image (eval counts it as a defect too)
        exporter.failed("crack/002.png", Label.DEFECT, "crack/002.png: file is empty (0 bytes)");
        Measurement measurement = Measurement.of(evaluation, thresholds().image(), 0);
        exporter.finish("bottle", measurement, null);

        assertThat(Files.readAllLines(out.resolve("results.csv"))).containsExactly(
                "file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map",
                "good/000.png,0.2,OK,0.5,0.7,ok,,maps/good_000_fused.png",
                "crack/000.png,0.8,NG,0.5,0.7,defect,,maps/crack_000_fused.png",
                "crack/001.png,0.4,OK,0.5,0.7,defect,,maps/crack_001_fused.png",
                "\"odd, name.png\",0.6,UNSURE,0.5,0.7,unlabelled,,maps/odd__name_fused.png",
                "broken.png,,ERROR,0.5,0.7,unlabelled,\"broken.png: not an image, truncated\",",
                "crack/002.png,,ERROR,0.5,0.7,defect,crack/002.png: file is empty (0 bytes),");

        BufferedImage heat = ImageIO.read(out.resolve("maps/crack_000_fused.png").toFile());
        assertThat(heat.getWidth()).isEqualTo(W);
        // The calibrated range, not per-image min-max: 0.95 is above the top (0.9), 0.05 below the bottom (0.1).
        assertThat(heat.getRGB(5, 3)).isEqualTo(Colormap.TURBO.argb(1));
        assertThat(heat.getRGB(0, 0)).isEqualTo(Colormap.TURBO.argb(0));
        BufferedImage calm = ImageIO.read(out.resolve("maps/good_000_fused.png").toFile());
        assertThat(calm.getRGB(5, 3)).as("a normal image stays calm").isEqualTo(Colormap.TURBO.argb(0));
        BufferedImage overlay = ImageIO.read(out.resolve("maps/crack_000_normality_overlay.png").toFile());
        assertThat(overlay.getRGB(0, 0) & 0xffffff).as("normal pixels show the image").isEqualTo(0x808080);
        assertThat(overlay.getRGB(5, 3) & 0xffffff).isNotEqualTo(0x808080);
        assertThat(out.resolve("maps/odd__name_abnormality.png")).exists();

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg").contains("ROC").contains("Per-region overlap").contains("<th>Method</th><td>DMDD</td>");
        // Between the two image thresholds: unsure, in the summary and in the table of images.
        assertThat(html).contains("<th>Verdict UNSURE</th><td>1</td>").contains("class=\"unsure\">UNSURE");
        // Image AUROC: defect scores 0.8 and 0.4 vs OK 0.2 -> perfectly ranked.
        assertThat(measurement.report().imageAuroc()).isEqualTo(1.0);
        assertThat(html).contains("<th>Image AUROC</th><td>1.0000</td>");
        // At threshold 0.5: one defect caught, one missed, the OK image passed.
        assertThat(measurement.confusion().truePositives()).isEqualTo(1);
        assertThat(measurement.confusion().falseNegatives()).isEqualTo(1);
        assertThat(measurement.confusion().trueNegatives()).isEqualTo(1);
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f", measurement.f1AtThreshold()));
        // Two worst images (0.8 and 0.6), each with the original and three maps, all inline.
        Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<String> pngs = new ArrayList<>();
        while (images.find()) {
            pngs.add(images.group(1));
        }
        assertThat(pngs).hasSize(8);
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(pngs.get(0)))))
                .isNotNull();
        assertThat(html.indexOf("crack/000.png")).isLessThan(html.indexOf("odd, name.png"));
        assertThat(html).doesNotContain("crack/001.png").doesNotContain("src=\"http").doesNotContain("href=");
    }

    @Test
    void imagesWhoseNamesGiveTheSameStemKeepTheirOwnMaps() throws IOException {
        ResultsExporter exporter = new ResultsExporter(out, thresholds(), new ResultsExporter.Options(true, true, false, 0, 64),
                dmdd.model.dmdd.Method.DMDD);
        // the same stem four ways: a space, another extension, another case (one file on Windows and macOS)
        List<String> files = List.of("a b.png", "a_b.png", "a_b.jpg", "A_B.png");
        for (int i = 0; i < files.size(); i++) {
            exporter.add(files.get(i), gray(), maps(0.1 + 0.2 * i, 0.1f + 0.2f * i), null);
        }
        exporter.finish("bottle", null, null);
        List<String> stems = List.of("a_b", "a_b~2", "a_b~3", "A_B~4");
        java.util.Set<String> fused = new java.util.HashSet<>();
        for (String stem : stems) {
            Path heat = out.resolve("maps/" + stem + "_fused.png");
            assertThat(heat).exists();
            fused.add(java.util.Arrays.toString(Files.readAllBytes(heat)));
        }
        assertThat(fused).as("four images, four different fused maps").hasSize(4);
        // each row names its own maps, so a person finds them although the names clash
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        for (int i = 0; i < files.size(); i++) {
            assertThat(csv.get(i + 1)).startsWith(files.get(i) + ",").endsWith(",maps/" + stems.get(i) + "_fused.png");
        }
        try (var listed = Files.list(out.resolve("maps"))) {
            assertThat(listed.count()).isEqualTo(4 * 6);
        }
    }

    @Test
    void safeNamesNeverLeaveTheMapsFolder() {
        assertThat(ResultsExporter.safeName("../../etc/passwd")).doesNotContain("/").doesNotStartWith(".");
        assertThat(ResultsExporter.safeName("a/b.c/d.png")).isEqualTo("a_b.c_d");
        assertThat(ResultsExporter.safeName("crack\\001.jpg")).isEqualTo("crack_001");
    }
}
