package dmdd.app.gui.project;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The embedded sample project: on first start the sample MVTec-layout category is generated into
 * the user data folder and imported as a project, so a person at a demo can press Train at once.
 */
public final class SampleProject {
    /** Name of the sample project. */
    public static final String NAME = "Sample: textured surface";

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
            Path category = generate(generated);
            // Build in a side folder and move into place, so an interrupted first start never leaves
            // half a sample project behind.
            Path building = Files.createTempDirectory(staging, "sample-project");
            Project project = ProjectStore.create(building, NAME);
            new ProjectImporter(project).importMvtecCategory(category);
            Files.createDirectories(folder.getParent());
            Files.move(building, folder);
            return ProjectStore.open(folder);
        } finally {
            deleteRecursively(generated);
        }
    }

    /**
     * Writes the sample category (MVTec layout) into a folder.
     * TEMPORARY: replaced by {@code dmdd.datasets.sample.SampleDataset.generate} once it lands.
     */
    private static Path generate(Path root) throws IOException {
        Path category = root.resolve("surface");
        Random rng = new Random(7);
        for (int i = 0; i < 24; i++) {
            write(texture(rng), category.resolve("train/good/" + String.format("%03d.png", i)));
        }
        for (int i = 0; i < 6; i++) {
            write(texture(rng), category.resolve("test/good/" + String.format("%03d.png", i)));
        }
        for (int i = 0; i < 6; i++) {
            BufferedImage image = texture(rng);
            BufferedImage mask = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            int x = 20 + rng.nextInt(60);
            int y = 20 + rng.nextInt(60);
            for (BufferedImage target : new BufferedImage[] {image, mask}) {
                Graphics2D g = target.createGraphics();
                g.setColor(target == mask ? Color.WHITE : new Color(60, 30, 20));
                g.setStroke(new BasicStroke(4));
                g.drawLine(x, y, x + 30, y + 20);
                g.dispose();
            }
            write(image, category.resolve("test/scratch/" + String.format("%03d.png", i)));
            write(mask, category.resolve("ground_truth/scratch/" + String.format("%03d_mask.png", i)));
        }
        return category;
    }

    private static BufferedImage texture(Random rng) {
        int size = 128;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        double phase = rng.nextDouble() * Math.PI;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 0.5 + 0.2 * Math.sin(x * 0.4 + phase) * Math.cos(y * 0.3) + 0.1 * rng.nextGaussian();
                int g = (int) Math.max(0, Math.min(255, v * 255));
                image.setRGB(x, y, (g << 16) | ((int) (g * 0.9) << 8) | (int) (g * 0.7));
            }
        }
        return image;
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
