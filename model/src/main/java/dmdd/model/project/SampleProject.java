package dmdd.model.project;

import dmdd.datasets.sample.SampleDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded sample project: on first start the sample MVTec-layout category is generated into
 * the user data folder and imported as a project, so a person at a demo can press Train at once.
 */
public final class SampleProject {
    /** Name of the sample project. */
    public static final String NAME = "Sample: fabric";

    private SampleProject() {
    }

    /**
     * Opens the sample project, creating it first if it does not exist yet.
     *
     * @param workspace the user's workspace
     * @return the project
     * @throws IOException if it cannot be created
     */
    public static Project openOrCreate(Workspace workspace) throws IOException {
        Path folder = workspace.sampleProjectFolder();
        if (ProjectStore.isProject(folder)) {
            return ProjectStore.open(folder);
        }
        Path staging = Files.createDirectories(workspace.userData().resolve("tmp"));
        Path generated = Files.createTempDirectory(staging, "sample");
        try {
            Path category = SampleDataset.generate(generated);
            // Build in a side folder and move into place, so an interrupted first start never leaves
            // half a sample project behind.
            Path building = Files.createTempDirectory(staging, "sample-project");
            Project project = ProjectStore.create(building, NAME);
            new ProjectImporter(project).importMvtecCategory(category);
            Files.createDirectories(folder.getParent());
            Files.move(building, folder);
            return ProjectStore.open(folder);
        } finally {
            dmdd.datasets.image.Folders.deleteTree(generated);
            try {
                Files.deleteIfExists(staging);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // Another project is being built there: leave it.
            }
        }
    }
}
