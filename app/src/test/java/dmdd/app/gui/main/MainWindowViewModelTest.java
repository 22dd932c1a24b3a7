package dmdd.app.gui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.ProjectStore;
import dmdd.model.project.SampleProject;
import dmdd.model.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main window's state, without a window: first start, reopening, import with bad files. */
class MainWindowViewModelTest {

    @Test
    void firstStartOpensTheSampleProjectAndTheNextStartReopensTheLastProject(@TempDir Path userData,
            @TempDir Path other) throws Exception {
        Workspace workspace = new Workspace(userData);
        MainWindowViewModel first = new MainWindowViewModel(workspace, BackgroundWork.inline());
        first.start();
        assertThat(first.projectNameProperty().get()).isEqualTo(SampleProject.NAME);
        assertThat(first.normalImages()).isNotEmpty();
        assertThat(first.inspectImages()).anyMatch(image -> image.groundTruth() != null);
        assertThat(first.windowTitleProperty().get()).startsWith("DMDD Inspector").contains(SampleProject.NAME);

        first.createProject(other.resolve("line-3"), "Line 3");
        assertThat(first.recentProjects()).hasSize(2);

        MainWindowViewModel second = new MainWindowViewModel(workspace, BackgroundWork.inline());
        second.start();
        assertThat(second.projectNameProperty().get()).isEqualTo("Line 3");
        assertThat(second.recentProjects()).first().isEqualTo(other.resolve("line-3").toAbsolutePath());

        second.openSample();
        assertThat(second.projectNameProperty().get()).isEqualTo(SampleProject.NAME);
        assertThat(second.recentProjects()).first().isEqualTo(workspace.sampleProjectFolder());
    }

    @Test
    void importKeepsGoodFilesAndListsUnreadableOnesWithTheReason(@TempDir Path userData, @TempDir Path drop)
            throws Exception {
        MainWindowViewModel model = new MainWindowViewModel(new Workspace(userData), BackgroundWork.inline());
        model.createProject(userData.resolve("p"), "P");
        Path good = model.workspace().userData().resolve("good.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", good.toFile());
        Path corrupt = drop.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path text = drop.resolve("notes.txt");
        Files.writeString(text, "hello");

        model.importFiles(List.of(good, drop), ProjectImage.Role.INSPECT);

        assertThat(model.inspectImages()).extracting(ProjectImage::fileName).containsExactly("good.png");
        assertThat(model.skippedFiles()).extracting(s -> s.file().getFileName().toString())
                .containsExactlyInAnyOrder("corrupt.png", "notes.txt");
        assertThat(model.skippedFiles()).allMatch(s -> !s.reason().isBlank());
        assertThat(ProjectStore.isProject(userData.resolve("p"))).isTrue();

        model.importFiles(List.of(Files.createDirectories(drop.resolve("empty"))), ProjectImage.Role.INSPECT);
        assertThat(model.statusProperty().get()).as("an empty folder says so, not 'imported 0 files'")
                .startsWith("No image found");
    }

    @Test
    void anImportThatEndsAfterAnotherProjectWasOpenedStaysInItsOwnProject(@TempDir Path userData) throws Exception {
        // Background work that runs when the test says, in the order it says.
        List<Runnable> queued = new java.util.ArrayList<>();
        BackgroundWork later = BackgroundWork.on(queued::add, Runnable::run);
        MainWindowViewModel model = new MainWindowViewModel(new Workspace(userData), later);
        model.createProject(userData.resolve("a"), "A");
        queued.remove(0).run();
        Path image = userData.resolve("part.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", image.toFile());

        model.importFiles(List.of(image), ProjectImage.Role.INSPECT); // a long import into A ...
        model.createProject(userData.resolve("b"), "B"); // ... while the user opens B
        queued.remove(1).run();
        queued.remove(0).run();

        assertThat(model.projectNameProperty().get()).isEqualTo("B");
        assertThat(model.inspectImages()).isEmpty();
        assertThat(ProjectStore.open(userData.resolve("a")).inspectImages()).extracting(ProjectImage::fileName)
                .containsExactly("part.png");
        assertThat(model.statusProperty().get()).contains("no longer open");
    }

    @Test
    void importingTwoPartTypesListsBothAsSetsWithTheirDefects(@TempDir Path userData, @TempDir Path data)
            throws Exception {
        dmdd.datasets.sample.SampleDataset.generate(data, new dmdd.datasets.sample.SampleDataset.Spec("bottle", 32,
                3, 1, 1, 1L));
        dmdd.datasets.sample.SampleDataset.generate(data, new dmdd.datasets.sample.SampleDataset.Spec("cable", 32,
                2, 1, 1, 2L));
        MainWindowViewModel model = new MainWindowViewModel(new Workspace(userData), BackgroundWork.inline());
        model.createProject(userData.resolve("p"), "P");

        model.importImageSets(data);

        assertThat(model.normalImages()).extracting(ProjectImage::group)
                .containsExactly("bottle", "bottle", "bottle", "cable", "cable");
        assertThat(model.inspectImages()).extracting(ProjectImage::group)
                .contains("bottle-good", "cable-good").allMatch(g -> g.startsWith("bottle-") || g.startsWith("cable-"));
        assertThat(model.inspectImages()).filteredOn(i -> !i.group().endsWith("-good"))
                .isNotEmpty().allMatch(i -> i.groundTruth() != null);
        assertThat(model.skippedFiles()).isEmpty();
        // The project opened again lists the same sets (they are folders, not a list kept somewhere).
        assertThat(ProjectStore.open(userData.resolve("p")).imageSets()).containsExactly("bottle", "cable");

        model.importImageSets(Files.createDirectories(userData.resolve("empty")));
        assertThat(model.statusProperty().get()).contains("no sub-folders");
        assertThat(model.normalImages()).hasSize(5);
    }
}
