package dmdd.batch;

import dmdd.datasets.image.AtomicFiles;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.TeacherWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A teacher weights folder laid out as the workstation's cache ({@code <name>.safetensors} beside its
 * {@code .sha256}), so that {@code InspectionPipeline.open(model, device, folder, progress)} loads the
 * shipped weights exactly as the workstation loads its cached ones, checksum check included, and never
 * tries to download or convert anything on an executor.
 */
final class TeacherFolder {
    private TeacherFolder() {
    }

    /**
     * Fills a folder with one teacher's weights.
     *
     * @param folder  the folder to create
     * @param kind    the backbone the weights are for
     * @param weights the safetensors file
     * @param sha256  its SHA-256 as the driver computed it (the loader refuses a file that differs)
     * @return the folder
     * @throws IOException when copying fails
     */
    static Path prepare(Path folder, BackboneKind kind, Path weights, String sha256) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(TeacherWeights.cacheFileName(kind));
        Path temp = Files.createTempFile(folder, ".copy-", ".tmp");
        try {
            Files.copy(weights, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        AtomicFiles.writeString(target.resolveSibling(target.getFileName() + ".sha256"),
                sha256 + "  " + target.getFileName() + "\n");
        return folder;
    }
}
