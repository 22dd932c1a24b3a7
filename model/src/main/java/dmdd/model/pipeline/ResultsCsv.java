package dmdd.model.pipeline;

import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one {@code results.csv} of the product, written by {@code infer}, {@code export} and the
 * workstation's export alike: UTF-8, comma separated, RFC 4180 quoting, dot decimals, scores at full
 * precision (the shortest text that reads back as the same double, so scores compare exactly).
 *
 * <pre>file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map</pre>
 * {@code verdict} is {@link Verdict#OK}, {@link Verdict#UNSURE}, {@link Verdict#NG}, or {@code ERROR} for an
 * image that has no result (then {@code score} is empty and {@code error} says why); {@code threshold} is the
 * OK-below image threshold and {@code ng_threshold} the NG-above one the verdict used; {@code annotated_label}
 * is what a person said ({@code ok}, {@code defect}, {@code unlabelled}); {@code fused_map} is the path of the
 * image's fused heatmap PNG relative to the CSV's folder, empty when no maps were written (so a row finds its maps
 * even when two images' names give the same file stem).
 */
public final class ResultsCsv {
    /** The file name in an output folder. */
    public static final String FILE_NAME = "results.csv";
    /** The header line. */
    public static final String HEADER = "file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map";
    /** The verdict column of an image without a result. */
    public static final String ERROR = "ERROR";

    private ResultsCsv() {
    }

    /**
     * One line.
     *
     * @param file      the image, as named in the output (file name or path relative to the project)
     * @param score     image score, NaN for an error row
     * @param verdict   the verdict, {@code null} for an error row
     * @param threshold   the OK-below image threshold the verdict used
     * @param ngThreshold the NG-above image threshold the verdict used
     * @param label       what a person said
     * @param error       why there is no result, {@code null} for an inspected image
     * @param fusedMap    the fused heatmap PNG relative to the output folder, {@code null} when none was written
     */
    public record Row(String file, double score, Verdict verdict, double threshold, double ngThreshold, Label label,
                      String error, String fusedMap) {
        /**
         * @param path the fused heatmap PNG, relative to the folder of {@code results.csv} ({@code /} separated)
         * @return this row naming that file
         */
        public Row withFusedMap(String path) {
            return new Row(file, score, verdict, threshold, ngThreshold, label, error, path);
        }

        /** @return whether the verdict is NG */
        public boolean defective() {
            return verdict == Verdict.NG;
        }

        /** @return whether the verdict is UNSURE (a person reviews the image) */
        public boolean unsure() {
            return verdict == Verdict.UNSURE;
        }
    }

    /**
     * @param file        the image name
     * @param score       its score
     * @param threshold   the OK-below image threshold
     * @param ngThreshold the NG-above image threshold
     * @param label       annotation, or {@code null}
     * @return the row, with the verdict by {@link Verdict#of(double, double, double)}
     */
    public static Row inspected(String file, double score, double threshold, double ngThreshold, Label label) {
        return new Row(file, score, Verdict.of(score, threshold, ngThreshold), threshold, ngThreshold,
                label == null ? Label.UNLABELLED : label, null, null);
    }

    /**
     * @param file        the image name
     * @param threshold   the OK-below image threshold
     * @param ngThreshold the NG-above image threshold
     * @param error       why there is no result
     * @return the error row
     */
    public static Row failed(String file, double threshold, double ngThreshold, String error) {
        return failed(file, threshold, ngThreshold, Label.UNLABELLED, error);
    }

    /**
     * The row of an annotated image that has no result: its label stays (a defect that could not be inspected is
     * still one a person marked).
     *
     * @param file        the image name
     * @param threshold   the OK-below image threshold
     * @param ngThreshold the NG-above image threshold
     * @param label       its annotation's label
     * @param error       why there is no result
     * @return the error row
     */
    public static Row failed(String file, double threshold, double ngThreshold, Label label, String error) {
        return new Row(file, Double.NaN, null, threshold, ngThreshold, label, error, null);
    }

    /**
     * Writes the rows (atomically: the file is the old one or the new one, never half).
     *
     * @param rows the rows, in order
     * @param file the target
     * @throws IOException when writing fails, naming the file
     */
    public static void write(List<Row> rows, Path file) throws IOException {
        AtomicFiles.writeString(file, format(rows));
    }

    /**
     * @param rows the rows
     * @return the whole file's text
     */
    public static String format(List<Row> rows) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            csv.append(field(r.file())).append(',')
                    .append(r.verdict() == null ? "" : Double.toString(r.score())).append(',')
                    .append(r.verdict() == null ? ERROR : r.verdict().word()).append(',')
                    .append(r.threshold()).append(',')
                    .append(r.ngThreshold()).append(',')
                    .append(r.label().key()).append(',')
                    .append(r.error() == null ? "" : field(r.error())).append(',')
                    .append(r.fusedMap() == null ? "" : field(r.fusedMap())).append('\n');
        }
        return csv.toString();
    }

    /**
     * @param s a field
     * @return the field, quoted when it holds a comma, a quote or a line break (RFC 4180)
     */
    static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
