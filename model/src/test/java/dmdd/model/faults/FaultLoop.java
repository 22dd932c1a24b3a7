package dmdd.model.faults;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.annotation.Label;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.export.ModelArchive;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelLock;
import dmdd.model.pipeline.ResultsCsv;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process {@link FaultInjectionTest} kills: it repeats one writing operation forever, alternating
 * between two versions, after printing {@code ready}.
 * <ul>
 *   <li>{@code save DIR MODEL_A MODEL_B}: saves model A's and B's networks into DIR in turn, holding DIR's lock
 *       as training does;</li>
 *   <li>{@code import DIR ZIP_A ZIP_B}: imports the two archives into DIR in turn;</li>
 *   <li>{@code results FILE}: writes two versions of a results.csv;</li>
 *   <li>{@code hold DIR}: takes DIR's lock and sleeps.</li>
 * </ul>
 */
public final class FaultLoop {
    private FaultLoop() {
    }

    /**
     * @param args the mode and its paths
     * @throws Exception whenever the operation fails (the parent then sees no kill-time state to check)
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "save" -> save(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "import" -> {
                Path dir = Path.of(args[1]);
                List<Path> zips = List.of(Path.of(args[2]), Path.of(args[3]));
                ready();
                for (long i = 0; ; i++) {
                    ModelArchive.importInto(zips.get((int) (i % 2)), dir);
                }
            }
            case "results" -> {
                Path file = Path.of(args[1]);
                ready();
                for (long i = 0; ; i++) {
                    ResultsCsv.write(rows((int) (i % 2)), file);
                }
            }
            case "hold" -> {
                try (ModelLock lock = ModelLock.acquire(Path.of(args[1]), "hold for a test")) {
                    ready();
                    Thread.sleep(60_000);
                }
            }
            case "hold-project" -> {
                try (dmdd.model.project.ProjectLock lock = dmdd.model.project.ProjectLock.acquire(Path.of(args[1]))) {
                    ready();
                    Thread.sleep(60_000);
                }
            }
            case "try" -> {
                try (ModelLock lock = ModelLock.acquire(Path.of(args[1]), "try for a test")) {
                    System.out.println("acquired");
                } catch (dmdd.model.infer.ModelFolderException e) {
                    System.out.println("refused");
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void save(Path dir, Path a, Path b) throws Exception {
        DjlRuntime.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder ma = ModelFolder.read(a);
            ModelFolder mb = ModelFolder.read(b);
            DmddNetworks na = ma.loadNetworks(manager);
            DmddNetworks nb = mb.loadNetworks(manager);
            try (ModelLock lock = ModelLock.acquire(dir, "save loop")) {
                ready();
                for (long i = 0; ; i++) {
                    if (i % 2 == 0) {
                        ModelFolder.save(dir, na, ma.thresholds(), ma.training());
                    } else {
                        ModelFolder.save(dir, nb, mb.thresholds(), mb.training());
                    }
                }
            }
        }
    }

    /**
     * @param version 0 or 1
     * @return the rows of that version of the results (2 000 rows, so a write takes a moment)
     */
    static List<ResultsCsv.Row> rows(int version) {
        return java.util.stream.IntStream.range(0, 2000).mapToObj(i -> ResultsCsv.inspected("img-" + i + ".png",
                version + i / 10_000.0, 0.5, 0.5, version == 0 ? Label.OK : Label.DEFECT)).toList();
    }

    private static void ready() {
        System.out.println("ready");
        System.out.flush();
    }
}
