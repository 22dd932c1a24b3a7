package dmdd.model.export;

import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.FileNames;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Thresholds;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.pipeline.Verdict;
import dmdd.model.metrics.ConfusionMatrix;
import dmdd.model.metrics.EvaluationReport;
import dmdd.model.viz.Colormap;
import dmdd.model.viz.Heatmaps;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import javax.imageio.ImageIO;

/**
 * Writes the results of an inspection run, image by image so that thousands of images never sit in
 * memory together:
 * <pre>
 * &lt;out&gt;/results.csv                       file, score, verdict, threshold, ng_threshold, annotated_label, error,
 *                                        fused_map (maps/&lt;name&gt;_fused.png when maps are written)
 * &lt;out&gt;/maps/&lt;name&gt;_&lt;map&gt;.png             heatmap of each map (normality, abnormality, fused)
 * &lt;out&gt;/maps/&lt;name&gt;_&lt;map&gt;_overlay.png     the same blended onto the image
 * &lt;out&gt;/report.html                       self-contained: summary, metrics, charts (inline SVG),
 *                                        the highest-scoring images with their three maps (inline PNG)
 * </pre>
 * Two images whose names give the same stem ({@code a b.png} and {@code a_b.png}, {@code a.png} and {@code a.jpg})
 * never share map files: the later one's stem gets {@code ~2}, {@code ~3}, ... (a character {@link #safeName} never
 * leaves, so no other image can own it), compared without case for the file systems that ignore it.
 * Colours come from {@link Heatmaps} with the model's calibrated ranges, as in the GUI. The verdict is
 * {@link Verdict#of(double, Thresholds)}. Every file is written atomically.
 */
public final class ResultsExporter {
    /** The folder of the heatmap and overlay PNGs inside an export. */
    private static final String MAPS = "maps";

    /** Opacity of the colour at the top of the scale in overlays (the GUI's default). */
    public static final double OVERLAY_OPACITY = 0.6;

    private final Path outDir;
    /** The three maps' names in file names and the report ({@link dmdd.model.dmdd.Method#mapNames()}). */
    private final List<String> mapNames;
    /** The model's method, named in the report. */
    private final dmdd.model.dmdd.Method method;
    private final Thresholds thresholds;
    private final Options options;
    private final List<ResultsCsv.Row> rows = new ArrayList<>();
    private final java.util.Set<String> mapStems = new java.util.HashSet<>();
    private final PriorityQueue<Worst> worst = new PriorityQueue<>(Comparator.comparingDouble(Worst::score));

    /**
     * What to write.
     *
     * @param csv            write {@code results.csv}
     * @param maps           write the heatmap and overlay PNGs
     * @param html           write {@code report.html}
     * @param worstImages    how many of the highest-scoring images the report shows
     * @param thumbnailSide  longest side of the report's thumbnails in pixels
     */
    public record Options(boolean csv, boolean maps, boolean html, int worstImages, int thumbnailSide) {
        /** @return everything, 12 images with 160-pixel thumbnails in the report */
        public static Options all() {
            return new Options(true, true, true, 12, 160);
        }
    }

    private record Worst(String file, double score, Verdict verdict, Label label, List<String> pngs) {
    }

    /**
     * @param outDir     the export folder (created when missing)
     * @param thresholds the model's thresholds (verdicts and colour ranges)
     * @param options    what to write
     * @param method     the model's method (names the maps)
     * @throws IOException when the folder cannot be created
     */
    public ResultsExporter(Path outDir, Thresholds thresholds, Options options, dmdd.model.dmdd.Method method)
            throws IOException {
        this.outDir = Files.createDirectories(outDir);
        this.mapNames = method.mapNames();
        this.method = method;
        this.thresholds = thresholds;
        this.options = options;
    }

    /**
     * Adds one inspected image.
     *
     * @param file  its name in the CSV and report (for example its path relative to the project)
     * @param image the image (resized to the maps' size when it differs)
     * @param maps  the inspector's result
     * @param label the annotation, or {@code null} when none
     * @return the CSV row
     * @throws IOException when a PNG cannot be written
     */
    public ResultsCsv.Row add(String file, RgbImage image, AnomalyMaps maps, Label label) throws IOException {
        Label l = label == null ? Label.UNLABELLED : label;
        ResultsCsv.Row row = ResultsCsv.inspected(file, maps.score(), thresholds.image(), thresholds.imageNg(), l);
        String base = options.maps() ? uniqueStem(file) : null;
        if (base != null) {
            row = row.withFusedMap(MAPS + "/" + mapFile(base, mapNames.get(2)));
        }
        rows.add(row);
        RgbImage sized = image.width() == maps.width() && image.height() == maps.height()
                ? image : image.resize(maps.width(), maps.height());
        if (base != null) {
            for (int which = 0; which < 3; which++) {
                Thresholds.Range range = range(which);
                int[] heat = Heatmaps.heatmap(map(maps, which), range.low(), range.high(), Colormap.TURBO);
                String name = mapNames.get(which);
                ImageWriter.writePng(Heatmaps.toBufferedImage(heat, maps.width(), maps.height()),
                        outDir.resolve(MAPS).resolve(mapFile(base, name)));
                ImageWriter.writePng(Heatmaps.toBufferedImage(overlay(sized, maps, which), maps.width(),
                        maps.height()), outDir.resolve(MAPS).resolve(mapFile(base, name + "_overlay")));
            }
        }
        if (options.html() && options.worstImages() > 0
                && (worst.size() < options.worstImages() || maps.score() > worst.peek().score())) {
            List<String> pngs = new ArrayList<>();
            pngs.add(thumbnail(sized.toBufferedImage()));
            for (int which = 0; which < 3; which++) {
                pngs.add(thumbnail(Heatmaps.toBufferedImage(overlay(sized, maps, which), maps.width(), maps.height())));
            }
            worst.add(new Worst(file, maps.score(), row.verdict(), l, pngs));
            if (worst.size() > options.worstImages()) {
                worst.poll();
            }
        }
        return row;
    }

    /**
     * Records an image that has no result (unreadable, non-finite score): an ERROR row, never a verdict.
     *
     * @param file   its name in the CSV
     * @param label  its annotation's label
     * @param reason why
     */
    public void failed(String file, dmdd.datasets.annotation.Label label, String reason) {
        rows.add(ResultsCsv.failed(file, thresholds.image(), thresholds.imageNg(), label, reason));
    }

    /** @return the thresholds the verdicts and colours use */
    public Thresholds thresholds() {
        return thresholds;
    }

    /**
     * Writes {@code results.csv} with the rows so far (when a run stops early), if results.csv is wanted.
     *
     * @throws IOException when writing fails
     */
    public void writeResultsSoFar() throws IOException {
        if (options.csv()) {
            ResultsCsv.write(rows, outDir.resolve(ResultsCsv.FILE_NAME));
        }
    }

    /** @return the rows added so far */
    public List<ResultsCsv.Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Writes {@code results.csv} and {@code report.html}.
     *
     * @param title       the report's title (project or category name)
     * @param measurement metrics against the annotations, or {@code null} when there are not enough labels
     * @param note        why there are no metrics, or what to know about them (e.g. images that count in the
     *                    image metrics only); may be null
     * @throws IOException when writing fails
     */
    public void finish(String title, Measurement measurement, String note) throws IOException {
        if (options.csv()) {
            ResultsCsv.write(rows, outDir.resolve(ResultsCsv.FILE_NAME));
        }
        if (options.html()) {
            AtomicFiles.writeString(outDir.resolve("report.html"), html(title, measurement, note));
        }
    }

    private String html(String title, Measurement m, String note) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append(" - DMDD Inspector report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:left}th{background:#f3f3f3}.ng{color:#b00;font-weight:bold}.unsure{color:#b60;font-weight:bold}.ok{color:#070}")
                .append(".wrong{background:#fff2cc}img{display:block;image-rendering:auto}")
                .append(".charts svg{margin-right:16px;border:1px solid #ddd}</style></head><body>\n");
        h.append("<h1>").append(Html.escape(title)).append("</h1>\n<p>Exported ")
                .append(Html.escape(Instant.now().toString())).append(". ").append(rows.size())
                .append(" images inspected.</p>\n");
        long ng = rows.stream().filter(ResultsCsv.Row::defective).count();
        h.append("<h2>Summary</h2>\n<table>")
                .append(tr("Method", method.displayName()))
                .append(tr("OK-below image threshold (OK when score &le; threshold)", number(thresholds.image())))
                .append(tr("NG-above image threshold (NG when score &gt; threshold; unsure between the two)",
                        number(thresholds.imageNg())))
                .append(tr("Pixel threshold", number(thresholds.pixel())))
                .append(tr("Verdict NG", Long.toString(ng)))
                .append(tr("Verdict UNSURE", Long.toString(rows.stream().filter(ResultsCsv.Row::unsure).count())))
                .append(tr("Verdict OK", Long.toString(rows.stream().filter(r -> r.verdict() == Verdict.OK).count())))
                .append(tr("No result (error)", Long.toString(rows.stream().filter(r -> r.verdict() == null).count())))
                .append(tr("Annotated defect", Long.toString(count(Label.DEFECT))))
                .append(tr("Annotated OK", Long.toString(count(Label.OK))))
                .append(tr("Not annotated", Long.toString(count(Label.UNLABELLED))))
                .append("</table>\n");
        if (m != null) {
            EvaluationReport r = m.report();
            h.append("<h2>Metrics against the annotations</h2>\n<table>")
                    .append(tr("Image AUROC", metric(r.imageAuroc())))
                    .append(tr("Pixel AUROC", metric(r.pixelAuroc())))
                    .append(tr("AUPRO (FPR &le; 0.3)", metric(r.aupro())))
                    .append(tr("Pixel AP", metric(r.pixelAp())))
                    .append(tr("Image F1 at the threshold", metric(finite(m.f1AtThreshold()))))
                    .append(tr("Image F1-max", metric(r.imageF1max())))
                    .append(tr("Evaluated images", Integer.toString(r.testImages())))
                    .append("</table>\n");
            r.notes().forEach((k, v) -> h.append("<p>").append(Html.escape(k)).append(": ")
                    .append(Html.escape(v)).append("</p>\n"));
            if (note != null) {
                h.append("<p>Note: ").append(Html.escape(note)).append("</p>\n");
            }
            ConfusionMatrix c = m.confusion();
            h.append("<h3>Confusion (images)</h3>\n<p>Counted at the OK-below threshold: an image that is not OK (unsure or NG) is flagged.</p><table><tr><th></th><th>verdict UNSURE or NG</th><th>verdict OK</th></tr>")
                    .append("<tr><th>annotated defect</th><td>").append(c.truePositives()).append("</td><td>")
                    .append(c.falseNegatives()).append("</td></tr><tr><th>annotated OK</th><td>")
                    .append(c.falsePositives()).append("</td><td>").append(c.trueNegatives())
                    .append("</td></tr></table>\n<div class=\"charts\">")
                    .append(SvgCharts.lineChart("ROC", "false positive rate", "true positive rate", 1,
                            List.of(new SvgCharts.Series("image", m.imageRoc()),
                                    new SvgCharts.Series("pixel (fused map)", m.pixelRoc()))))
                    .append(SvgCharts.lineChart("Per-region overlap", "false positive rate", "PRO", 0.3,
                            List.of(new SvgCharts.Series("fused map", m.pro()))))
                    .append("</div>\n");
        } else if (note != null) {
            h.append("<p>No metrics: ").append(Html.escape(note)).append("</p>\n");
        }
        List<Worst> top = new ArrayList<>(worst);
        top.sort(Comparator.comparingDouble(Worst::score).reversed());
        if (!top.isEmpty()) {
            h.append("<h2>Highest-scoring images</h2>\n<table><tr><th>image</th><th>score</th><th>verdict</th>")
                    .append("<th>annotated</th><th>original</th>");
            mapNames.forEach(which -> h.append("<th>").append(which).append("</th>"));
            h.append("</tr>\n");
            for (Worst w : top) {
                // Unsure is "a person decides", wrong for neither label; OK and NG are wrong against the other one.
                boolean wrong = w.label() != Label.UNLABELLED && w.verdict() != Verdict.UNSURE
                        && (w.label() == Label.DEFECT) != (w.verdict() == Verdict.NG);
                h.append("<tr").append(wrong ? " class=\"wrong\"" : "").append("><td>").append(Html.escape(w.file()))
                        .append("</td><td>").append(number(w.score())).append("</td><td class=\"")
                        .append(w.verdict().word().toLowerCase(java.util.Locale.ROOT)).append("\">")
                        .append(w.verdict().word()).append("</td><td>").append(w.label().key())
                        .append("</td>");
                for (String png : w.pngs()) {
                    h.append("<td><img alt=\"\" src=\"data:image/png;base64,").append(png).append("\"></td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private long count(Label label) {
        return rows.stream().filter(r -> r.label() == label).count();
    }

    /** The calibrated colour range of map 0, 1 or 2 (display order). */
    private Thresholds.Range range(int which) {
        return switch (which) {
            case 0 -> thresholds.normality();
            case 1 -> thresholds.abnormality();
            default -> thresholds.fused();
        };
    }

    /** Map 0, 1 or 2 (display order) of an inspection. */
    private static float[] map(AnomalyMaps maps, int which) {
        return switch (which) {
            case 0 -> maps.normality();
            case 1 -> maps.abnormality();
            default -> maps.fused();
        };
    }

    private int[] overlay(RgbImage image, AnomalyMaps maps, int which) {
        Thresholds.Range range = range(which);
        return Heatmaps.overlay(image, map(maps, which), range.low(), range.high(), Colormap.TURBO, OVERLAY_OPACITY);
    }

    private String thumbnail(BufferedImage image) throws IOException {
        int side = options.thumbnailSide();
        double scale = Math.min(1.0, (double) side / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(small, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * A file name for an image's maps: its path with folders joined by {@code _} and the extension dropped.
     *
     * @param file the image's name as given to {@link #add}
     * @return a safe file name stem
     */
    public static String safeName(String file) {
        String s = file.replace('\\', '/');
        int dot = s.lastIndexOf('.');
        if (dot > s.lastIndexOf('/') + 1) {
            s = s.substring(0, dot);
        }
        s = s.replaceAll("^/+", "").replace('/', '_').replaceAll("[^\\p{L}\\p{N}._-]", "_");
        // A long path is cut so that its maps' names still fit the file system.
        return FileNames.withinBytes(s.isEmpty() || s.startsWith(".") ? "image" + s : s, FileNames.MAX_STEM_BYTES);
    }

    /** A map's PNG in the maps folder ({@code kind}: a map's name, with {@code _overlay} for its overlay). */
    private static String mapFile(String stem, String kind) {
        return stem + "_" + kind + ".png";
    }

    private String uniqueStem(String file) {
        String base = safeName(file);
        String stem = base;
        // a file already in maps/ under one of the names is a person's (a caller removes an earlier run's first):
        // the maps take another name rather than write over it
        for (int k = 2; takenOnDisk(stem) || !mapStems.add(stem.toLowerCase(java.util.Locale.ROOT)); k++) {
            stem = base + "~" + k;
        }
        return stem;
    }

    private boolean takenOnDisk(String stem) {
        for (String name : mapNames) {
            if (java.nio.file.Files.exists(outDir.resolve(MAPS).resolve(mapFile(stem, name)))
                    || java.nio.file.Files.exists(outDir.resolve(MAPS).resolve(mapFile(stem, name + "_overlay")))) {
                return true;
            }
        }
        return false;
    }

    private static String tr(String key, String value) {
        return "<tr><th>" + key + "</th><td>" + Html.escape(value) + "</td></tr>";
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String metric(Double v) {
        return v == null ? "not defined" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
