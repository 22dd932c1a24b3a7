package dmdd.app.gui.inspection;

import dmdd.model.project.ProjectImage;

/**
 * An image to inspect and its score (NaN until the model has seen it).
 *
 * @param image the project image
 * @param score image score or NaN
 */
public record InspectedItem(ProjectImage image, double score) {
    /** @return whether the image has a score */
    public boolean isInspected() {
        return !Double.isNaN(score);
    }
}
