package dmdd.model.paths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a path leads on the file system, also for a path that does not exist yet. */
public final class ResolvedPath {
    private ResolvedPath() {
    }

    /**
     * A path as the file system resolves it once its folders exist: component by component, an existing part with its
     * links resolved, {@code ..} from where that leads (so a link into a model folder or to the inputs is seen
     * through, and a text-normalised {@code missing/../link/x} cannot skip the link), the parts not there yet as
     * written.
     *
     * @param path any path
     * @return the absolute, resolved path
     */
    public static Path of(Path path) {
        Path absolute = path.toAbsolutePath();
        Path current = absolute.getRoot();
        for (Path part : absolute) {
            Path next = current.resolve(part);
            if (Files.exists(next)) {
                try {
                    current = next.toRealPath();
                } catch (IOException e) {
                    current = next.normalize();
                }
            } else if (part.toString().equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
            } else if (!part.toString().equals(".")) {
                current = next;
            }
        }
        return current;
    }
}
