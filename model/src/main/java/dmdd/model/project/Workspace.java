package dmdd.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.paths.UserDataDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's workstation state in the per-user data folder: the recently opened projects, the last
 * one (opened again on start, so the workstation opens where it was left) and the embedded sample
 * project (created on first start).
 */
public final class Workspace {
    /** How many recent projects are remembered. */
    public static final int MAX_RECENT = 8;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path userData;

    /**
     * The remembered state.
     *
     * @param recentProjects project folders, most recent first
     * @param lastProject    the project open when the workstation was closed, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preferences(List<String> recentProjects, String lastProject) {
    }

    /**
     * A workspace in the given user data folder.
     *
     * @param userData the folder (created on first save)
     */
    public Workspace(Path userData) {
        this.userData = userData.toAbsolutePath();
    }

    /**
     * The per-user data folder of the model module ({@link UserDataDirs#dataDir()}; the system
     * property {@value UserDataDirs#OVERRIDE_PROPERTY} overrides it), never the install folder.
     *
     * @return the folder
     */
    public static Path defaultUserData() {
        return UserDataDirs.dataDir();
    }

    /** @return the user data folder */
    public Path userData() {
        return userData;
    }

    /** @return where the embedded sample project lives */
    public Path sampleProjectFolder() {
        return userData.resolve("projects").resolve("sample");
    }

    /** @return where new projects go by default */
    public Path projectsFolder() {
        return userData.resolve("projects");
    }

    /**
     * Reads the remembered state; a missing or unreadable file gives empty preferences.
     *
     * @return the preferences
     */
    public Preferences preferences() {
        Path file = preferencesFile();
        if (Files.isRegularFile(file)) {
            try {
                Preferences read = JSON.readValue(file.toFile(), Preferences.class);
                List<String> recent = read.recentProjects() == null ? List.of() : read.recentProjects();
                return new Preferences(recent, read.lastProject());
            } catch (IOException e) {
                // A damaged preferences file must not stop the workstation from starting.
                return new Preferences(List.of(), null);
            }
        }
        return new Preferences(List.of(), null);
    }

    /**
     * The recent projects that still exist, most recent first.
     *
     * @return project folders
     */
    public List<Path> recentProjects() {
        return preferences().recentProjects().stream().map(Path::of).filter(ProjectStore::isProject).toList();
    }

    /**
     * The project to open on start: the last one if it still exists, else null.
     *
     * @return a project folder or null
     */
    public Path lastProject() {
        String last = preferences().lastProject();
        return last != null && ProjectStore.isProject(Path.of(last)) ? Path.of(last) : null;
    }

    /**
     * Remembers a project as the last opened one and at the top of the recent list.
     *
     * @param folder project folder
     * @throws IOException if the preferences cannot be saved
     */
    public void remember(Path folder) throws IOException {
        Path file = preferencesFile();
        if (Files.isRegularFile(file) && !readable(file)) {
            // Started with empty preferences; the damaged file is kept beside, not overwritten, for a person to mend.
            Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String path = folder.toAbsolutePath().toString();
        List<String> recent = new ArrayList<>(preferences().recentProjects());
        recent.remove(path);
        recent.add(0, path);
        while (recent.size() > MAX_RECENT) {
            recent.remove(recent.size() - 1);
        }
        AtomicFiles.writeBytes(preferencesFile(), JSON.writeValueAsBytes(new Preferences(recent, path)));
    }

    private static boolean readable(Path file) {
        try {
            JSON.readValue(file.toFile(), Preferences.class);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path preferencesFile() {
        return userData.resolve("workstation.json");
    }
}
