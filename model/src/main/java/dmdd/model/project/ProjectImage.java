package dmdd.model.project;

import java.nio.file.Path;

/**
 * One image file of a project.
 *
 * @param file        absolute path of the image inside the project folder
 * @param role        whether it is a normal (training) image or one to inspect
 * @param group       for images to inspect: the defect type of images imported from an MVTec category ("good"
 *                    for normal test images; {@code <set>-<type>} in a project of several image sets); for
 *                    normal images: the image set ({@code normal/<set>/}); empty for images without either
 * @param groundTruth the defect mask, or null when none is known
 */
public record ProjectImage(Path file, Role role, String group, Path groundTruth) {

    /** What an image is for. */
    public enum Role {
        /** A defect-free image the model learns from. */
        NORMAL,
        /** An image the model inspects. */
        INSPECT
    }

    /**
     * The file name without folders, for labels.
     *
     * @return the file name
     */
    public String fileName() {
        return file.getFileName().toString();
    }
}
