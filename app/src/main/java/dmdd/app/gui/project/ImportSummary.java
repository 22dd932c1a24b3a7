package dmdd.app.gui.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an import into a project did: the files copied in and the files left out with the reason.
 *
 * @param imported files now in the project
 * @param skipped  files that were not imported, each with the reason
 */
public record ImportSummary(List<Path> imported, List<Skipped> skipped) {

    /**
     * A file that was not imported.
     *
     * @param file   the source file
     * @param reason why, in words a user understands
     */
    public record Skipped(Path file, String reason) {
    }

    /**
     * Both lists joined.
     *
     * @param other another summary
     * @return the union
     */
    public ImportSummary plus(ImportSummary other) {
        List<Path> in = new ArrayList<>(imported);
        in.addAll(other.imported);
        List<Skipped> out = new ArrayList<>(skipped);
        out.addAll(other.skipped);
        return new ImportSummary(List.copyOf(in), List.copyOf(out));
    }

    /** @return an empty summary */
    public static ImportSummary empty() {
        return new ImportSummary(List.of(), List.of());
    }
}
