package dmdd.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.datasets.annotation.Label;
import dmdd.model.metrics.ImageAurocByKind;
import dmdd.model.metrics.MetricValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark-table}: turns a folder of {@code eval} results into Markdown tables in anomalib's
 * format (rows: method; columns: Avg and each category), as in the README.
 */
@Command(name = "benchmark-table", mixinStandardHelpOptions = true,
        description = {"Print Markdown tables (anomalib's format) from RESULTS/<method>/<category>.json written by eval,",
            "with the training time from RESULTS/<method>/<category>.train_seconds when present."})
final class BenchmarkTableCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS", description = "folder with one sub-folder per method")
    Path results;

    @Override
    public Integer call() throws IOException {
        Path dir = CliInputs.existingFolder(results, "RESULTS");
        List<String> methods = names(dir, true);
        if (methods.isEmpty()) {
            throw new CliException("RESULTS " + results + ": no method folders with eval JSON files");
        }
        List<String> categories = new ArrayList<>();
        for (String m : methods) {
            for (String c : names(dir.resolve(m), false)) {
                if (!categories.contains(c)) {
                    categories.add(c);
                }
            }
        }
        categories.sort(null);
        for (String m : methods) {
            for (String c : categories) {
                check(dir.resolve(m).resolve(c + ".json"));
                minutes(dir.resolve(m).resolve(c + ".train_seconds"));
            }
        }
        // every table is made before the first line is printed: a bad file stops the command without half a table
        java.io.StringWriter tables = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(tables);
        table(out, "Image AUROC", dir, methods, categories, j -> num(j.get("image_auroc")), null, 3);
        kindTable(out, dir, methods, categories);
        table(out, "Pixel AUROC", dir, methods, categories, j -> num(j.get("pixel_auroc")), "pixel_auroc", 3);
        table(out, "AUPRO (FPR <= 0.3)", dir, methods, categories, j -> num(j.get("aupro")), "aupro", 3);
        table(out, "Pixel AP", dir, methods, categories, j -> num(j.get("pixel_ap")), null, 3);
        verdictTable(out, dir, methods, categories);
        table(out, "Training time (minutes)", dir, methods, categories, null, null, 1);
        out.flush();
        spec.commandLine().getOut().print(tables);
        return 0;
    }

    /**
     * One table. When {@code mapKey} is given, a method whose branch maps differ from its fused map (DMDD)
     * gets two more rows, for its normality and abnormality maps, so that the table shows what the
     * segmentation network adds.
     */
    private void table(PrintWriter out, String title, Path dir, List<String> methods, List<String> categories,
                       Function<JsonNode, Double> metric, String mapKey, int decimals) throws IOException {
        out.println("| " + title + " | Avg | " + cells(categories) + " |");
        out.println("|---|---|" + "---|".repeat(categories.size()));
        for (String m : methods) {
            row(out, label(m), dir, m, categories, metric, decimals);
            if (mapKey != null && hasDistinctBranches(dir, m, categories)) {
                boolean branches = hasBranchMaps(dir, m, categories);
                for (String map : new String[] {"normality", "abnormality"}) {
                    String name = branches ? map : map.equals("normality") ? "fine-level" : "coarse-levels";
                    row(out, label(m) + ", " + name + " map", dir, m, categories,
                            j -> j.has("maps") && j.get("maps").has(map) ? num(j.get("maps").get(map).get(mapKey)) : null,
                            decimals);
                }
            }
        }
        out.println();
    }

    /**
     * Each kind of defect's image AUROC against the good images (from the eval JSON's per-image scores), one row per
     * method and category, one column per kind; left out when no category has more than one kind.
     */
    private static void kindTable(PrintWriter out, Path dir, List<String> methods, List<String> categories)
            throws IOException {
        Map<String, SortedMap<String, MetricValue>> rows = new LinkedHashMap<>();
        SortedSet<String> kinds = new TreeSet<>();
        for (String m : methods) {
            for (String c : categories) {
                Path json = dir.resolve(m).resolve(c + ".json");
                List<ImageAurocByKind.ScoredImage> images = read(json, BenchmarkTableCommand::scoredImages);
                if (images != null && !images.isEmpty()) {
                    SortedMap<String, MetricValue> byKind = ImageAurocByKind.compute(images);
                    rows.put("| " + label(m) + " | " + cell(c) + " |", byKind);
                    kinds.addAll(byKind.keySet());
                }
            }
        }
        if (rows.values().stream().noneMatch(byKind -> byKind.size() > 1)) {
            return;
        }
        out.println("| Image AUROC by defect kind (against the good images) | Category | " + cells(kinds)
                + " |");
        out.println("|---|---|" + "---|".repeat(kinds.size()));
        rows.forEach((start, byKind) -> {
            StringBuilder row = new StringBuilder(start);
            for (String k : kinds) {
                MetricValue v = byKind.get(k);
                row.append(' ').append(fmt(v == null ? null : v.orNull(), 3)).append(" |");
            }
            out.println(row);
        });
        out.println();
    }

    /**
     * The verdict people act on, from the eval JSON's per-image verdicts at the model's calibrated thresholds: good
     * images flagged (NG or UNSURE) and defective ones called OK, as counts of their images ("All": the sums).
     */
    private static void verdictTable(PrintWriter out, Path dir, List<String> methods, List<String> categories)
            throws IOException {
        out.println("| False alarms (good flagged) / misses (defective called OK) | All | " + cells(categories) + " |");
        out.println("|---|---|" + "---|".repeat(categories.size()));
        for (String m : methods) {
            EvalCommand.Verdicts all = new EvalCommand.Verdicts(0, 0, 0, 0);
            StringBuilder cellsOfRow = new StringBuilder();
            for (String c : categories) {
                EvalCommand.Verdicts v = read(dir.resolve(m).resolve(c + ".json"), EvalCommand.Verdicts::of);
                boolean counted = v != null && v.any();
                all = counted ? all.plus(v) : all;
                cellsOfRow.append(' ').append(counted ? verdictCell(v) : "-").append(" |");
            }
            if (all.any()) {
                out.println("| " + label(m) + " | " + verdictCell(all) + " |" + cellsOfRow);
            }
        }
        out.println();
    }

    private static String verdictCell(EvalCommand.Verdicts v) {
        return v.falseAlarms() + "/" + v.goodImages() + " \u00b7 " + v.misses() + "/" + v.defectiveImages();
    }

    /** The evaluated images of an eval JSON (files written before {@code evaluated} was recorded count all). */
    private static List<ImageAurocByKind.ScoredImage> scoredImages(JsonNode j) {
        List<ImageAurocByKind.ScoredImage> images = new ArrayList<>();
        if (j.has("images") && j.get("images").isArray()) {
            for (JsonNode i : j.get("images")) {
                boolean evaluated = !i.has("evaluated") || i.get("evaluated").asBoolean();
                Double score = num(i.get("score"));
                String label = i.has("label") ? i.get("label").asText() : "";
                boolean labelled = Label.DEFECT.key().equals(label) || Label.OK.key().equals(label);
                if (evaluated && labelled && score != null && i.has("file")) {
                    images.add(new ImageAurocByKind.ScoredImage(i.get("file").asText(), score,
                            Label.DEFECT.key().equals(label)));
                }
            }
        }
        return images;
    }

    private static boolean hasDistinctBranches(Path dir, String method, List<String> categories) throws IOException {
        for (String c : categories) {
            Double fused = read(dir.resolve(method).resolve(c + ".json"), j -> mapValue(j, "fused"));
            Double normality = read(dir.resolve(method).resolve(c + ".json"), j -> mapValue(j, "normality"));
            if (fused != null && normality != null && !fused.equals(normality)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a results folder's models have DMDD's branch maps (the eval JSON's {@code method}; files written
     * before it was recorded are DMDD's or the baseline's, whose maps were identical) or the per-level methods' fine
     * and coarse maps.
     */
    private static boolean hasBranchMaps(Path dir, String method, List<String> categories) throws IOException {
        for (String c : categories) {
            String name = readText(dir.resolve(method).resolve(c + ".json"), "method");
            if (name != null) {
                return dmdd.model.dmdd.Method.fromCliName(name).hasBranchMaps();
            }
        }
        return true;
    }

    private static String readText(Path json, String key) throws IOException {
        if (!Files.isRegularFile(json)) {
            return null;
        }
        JsonNode j = JSON.readTree(json.toFile());
        return j != null && j.has(key) ? j.get(key).asText() : null;
    }

    private static Double mapValue(JsonNode j, String map) {
        return j.has("maps") && j.get("maps").has(map) ? num(j.get("maps").get(map).get("pixel_auroc")) : null;
    }

    private void row(PrintWriter out, String label, Path dir, String m, List<String> categories,
                     Function<JsonNode, Double> metric, int decimals) throws IOException {
        List<Double> values = new ArrayList<>();
        for (String c : categories) {
            values.add(metric == null ? minutes(dir.resolve(m).resolve(c + ".train_seconds"))
                    : read(dir.resolve(m).resolve(c + ".json"), metric));
        }
        double avg = values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        boolean complete = values.stream().allMatch(v -> v != null);
        StringBuilder row = new StringBuilder("| " + label + " | " + fmt(complete ? avg : null, decimals) + " |");
        for (Double v : values) {
            row.append(' ').append(fmt(v, decimals)).append(" |");
        }
        out.println(row);
    }

    /** A name from a file or folder as one Markdown table cell: a '|' in it would start another column. */
    private static String cell(String name) {
        return name.replace("|", "\\|");
    }

    private static String cells(java.util.Collection<String> names) {
        return String.join(" | ", names.stream().map(BenchmarkTableCommand::cell).toList());
    }

    private static String label(String method) {
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "dmdd" -> "DMDD";
            case "baseline" -> "Baseline (ST)";
            case "aand" -> "AAND";
            case "dcam" -> "DCAM (a model per category)";
            case "dcam-shared" -> "DCAM (one model for all categories)";
            case "baseline-shared" -> "Baseline (one model for all categories)";
            default -> cell(method);
        };
    }

    /** The metrics a table shows: each absent, null (not defined for that test set) or a number in [0, 1]. */
    private static final List<String> METRICS = List.of("image_auroc", "pixel_auroc", "aupro", "pixel_ap");

    /**
     * Refuses, by file, what is not one model's eval result: an empty or foreign JSON, a side-by-side evaluation of
     * several models, a metric that is no number or lies outside [0, 1] (a table of them would look like results).
     */
    private static void check(Path json) throws IOException {
        if (!Files.isRegularFile(json)) {
            return;
        }
        if (Files.size(json) == 0) {
            throw new CliException(json + ": is empty, not an eval result");
        }
        JsonNode j = read(json, node -> node);
        if (j != null && j.isObject() && j.has("models")) {
            throw new CliException(json + ": holds several models (eval with --model given more than once); give "
                    + "each model its own RESULTS/<method>/ folder");
        }
        if (j == null || !j.isObject() || !j.has("image_auroc")) {
            throw new CliException(json + ": not an eval result (no image_auroc)");
        }
        for (String metric : METRICS) {
            JsonNode v = j.get(metric);
            if (v != null && !v.isNull() && !(v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1)) {
                throw new CliException(json + ": " + metric + " is " + v + ", not a number in [0, 1]");
            }
        }
    }

    private static <T> T read(Path json, Function<JsonNode, T> metric) throws IOException {
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            return metric.apply(JSON.readTree(json.toFile()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the parser's own words without its location boilerplate
            throw new CliException(json + ": not a readable eval JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CliException(json + ": not a readable eval JSON (" + e.getMessage() + ")");
        }
    }

    private static Double minutes(Path seconds) throws IOException {
        if (!Files.isRegularFile(seconds)) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(Files.readString(seconds).trim());
        } catch (NumberFormatException e) {
            throw new CliException(seconds + ": expected a number of seconds");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new CliException(seconds + ": expected a number of seconds, got " + value);
        }
        return value / 60;
    }

    private static Double num(JsonNode n) {
        return n == null || n.isNull() || !n.isNumber() ? null : n.asDouble();
    }

    private static String fmt(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static List<String> names(Path dir, boolean folders) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            // a method is a folder with at least one result file; a result file is a regular .json file
            return s.filter(p -> folders ? Files.isDirectory(p) && hasResults(p)
                            : Files.isRegularFile(p) && p.toString().endsWith(".json"))
                    .map(p -> p.getFileName().toString().replaceFirst("\\.json$", ""))
                    .filter(n -> !n.startsWith("."))
                    .sorted((a, b) -> folders ? order(a) - order(b) : a.compareTo(b)).toList();
        }
    }

    private static boolean hasResults(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && p.toString().endsWith(".json"));
        } catch (IOException e) {
            return false;
        }
    }

    /** DMDD first, the baseline second, anything else after. */
    private static int order(String method) {
        return switch (method) {
            case "dmdd" -> 0;
            case "baseline" -> 1;
            default -> 2 + Math.abs(method.hashCode() % 1000);
        };
    }
}
