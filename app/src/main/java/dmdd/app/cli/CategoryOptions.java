package dmdd.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --data ROOT --category NAME}: one MVTec AD category, shared by the commands that read one; {@code train}
 * also takes several ({@code a,b,c}) or {@code all}, for one model of many part types (DCAM).
 */
final class CategoryOptions {
    /** The {@code --category} value that means every category folder under ROOT. */
    static final String ALL = "all";

    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
    Path data;

    @Option(names = "--category", required = true, paramLabel = "NAME",
            description = "category folder under ROOT (train: also a comma-separated list, or 'all')")
    String category;

    /**
     * @param needTest whether the command reads the test split
     * @return the checked category folder
     * @throws CliException naming the expected path when it is not a category, or when several were given
     */
    Path folder(boolean needTest) throws CliException {
        if (category.contains(",") || category.equals(ALL)) {
            throw new CliException("--category " + category + ": this command takes one category; evaluate a "
                    + "several-category model on each category in turn");
        }
        return CliInputs.mvtecCategory(data, category, needTest);
    }

    /**
     * @return the checked category folders: the one named, each of a comma-separated list (in order, without
     *         repeats), or with {@code all} every folder under ROOT that holds {@code train/good}
     * @throws CliException naming the first folder that is not a category
     */
    List<Path> folders() throws CliException {
        Set<String> names = new LinkedHashSet<>();
        if (category.trim().equals(ALL)) {
            Path root = CliInputs.existingFolder(data, "--data");
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> Files.isDirectory(d.resolve("train").resolve("good")))
                        .map(d -> d.getFileName().toString()).sorted().forEach(names::add);
            } catch (IOException e) {
                throw new CliException("--data " + root + ": cannot list it (" + e.getMessage() + ")");
            }
            if (names.isEmpty()) {
                throw new CliException("--category all: no folder under " + root + " holds train/good/");
            }
        } else {
            for (String name : category.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        List<Path> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(CliInputs.mvtecCategory(data, name, false));
        }
        if (out.isEmpty()) {
            throw new CliException("--category '" + category + "': no category named");
        }
        return out;
    }
}
