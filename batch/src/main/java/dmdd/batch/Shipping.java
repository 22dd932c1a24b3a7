package dmdd.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.SparkSession;

/**
 * Files the driver ships to the executors ({@code SparkContext.addFile}). They are named by their
 * checksums and kept in one folder for the driver's lifetime: a Spark context remembers every file it
 * shipped and its executors may fetch any of them again for a later job, so a shipped file must neither
 * move nor change while the context lives (a second file of the same name with other content is refused).
 * The folder is removed when the driver exits.
 */
final class Shipping {
    private static Path folder;

    private Shipping() {
    }

    /**
     * Ships a file under a name that identifies its content.
     *
     * @param spark the session
     * @param file  the file (copied; the original may be removed afterwards)
     * @param name  its name for the executors ({@code SparkFiles.get(name)}); must identify the content
     * @return the shipped copy
     * @throws IOException when copying fails
     */
    static synchronized Path ship(SparkSession spark, Path file, String name) throws IOException {
        Path shipped = folder().resolve(name);
        if (!Files.exists(shipped)) {
            Path temp = Files.createTempFile(folder(), ".ship-", ".tmp");
            try {
                Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, shipped, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        spark.sparkContext().addFile(shipped.toString());
        return shipped;
    }

    private static synchronized Path folder() throws IOException {
        if (folder == null) {
            Path created = Files.createTempDirectory("dmdd-batch-shipped-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    dmdd.datasets.image.Folders.deleteTree(created);
                } catch (IOException e) {
                    // Only a leftover temporary folder.
                }
            }, "dmdd-batch-shipped-files"));
            folder = created;
        }
        return folder;
    }
}
