package dmdd.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dmdd.model.dmdd.DmddSettings;

/**
 * What {@code project.json} holds: the project's name, the file format version, the training
 * settings the user chose, the user's thresholds (null = the model's calibrated ones) and where the
 * user was when the project was last closed, so it opens where it was left.
 *
 * @param version         file format version ({@link #CURRENT_VERSION})
 * @param name            project name shown in the title bar
 * @param training        the model's settings (the same record the command line uses)
 * @param device          {@code auto}, {@code cpu} or {@code gpu[:N]}
 * @param imageThreshold  OK-below image-score threshold chosen by the user, or null for the calibrated one
 * @param ngThreshold     NG-above image-score threshold chosen by the user, or null for the calibrated one
 * @param pixelThreshold  pixel threshold chosen by the user, or null for the calibrated one
 * @param lastScreen      the id of the tab shown when the project was closed ({@code imagesTab}, {@code trainingTab}, {@code inspectionTab})
 * @param lastImage       file name (relative to the project) selected when closed, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProjectSettings(int version, String name, DmddSettings training, String device, Double imageThreshold,
        Double ngThreshold, Double pixelThreshold, String lastScreen, String lastImage) {

    /** The {@code project.json} format this build writes. */
    public static final int CURRENT_VERSION = 1;

    /**
     * Settings of a new project.
     *
     * @param name project name
     * @return defaults for everything else
     */
    public static ProjectSettings newProject(String name) {
        return new ProjectSettings(CURRENT_VERSION, name, DmddSettings.defaults(), "auto", null, null, null, "imagesTab",
                null);
    }

    /**
     * Copy with other training settings.
     *
     * @param choices training settings
     * @param newDevice device choice
     * @return the copy
     */
    public ProjectSettings withTraining(DmddSettings choices, String newDevice) {
        return new ProjectSettings(version, name, choices, newDevice, imageThreshold, ngThreshold, pixelThreshold,
                lastScreen, lastImage);
    }

    /**
     * Copy with other thresholds.
     *
     * @param image OK-below image-score threshold or null
     * @param ng    NG-above image-score threshold or null
     * @param pixel pixel threshold or null
     * @return the copy
     */
    public ProjectSettings withThresholds(Double image, Double ng, Double pixel) {
        return new ProjectSettings(version, name, training, device, image, ng, pixel, lastScreen, lastImage);
    }

    /**
     * Copy with another place the user was.
     *
     * @param screen screen name
     * @param image  selected image (relative path) or null
     * @return the copy
     */
    public ProjectSettings withPlace(String screen, String image) {
        return new ProjectSettings(version, name, training, device, imageThreshold, ngThreshold, pixelThreshold, screen,
                image);
    }
}
