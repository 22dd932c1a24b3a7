package dmdd.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dmdd.model.dmdd.DmddSettings;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param otherMethodsThresholds the thresholds the user chose for the methods not chosen now, by method name
 *                        ({@code dmdd}, {@code aand}, ...), kept for when the user switches back (each method's
 *                        model scores on its own scale, so one method's thresholds never apply to another's);
 *                        empty when none (also in files written before it existed)
 * @param thresholdsModel the model the chosen method's thresholds were set for (its weights' SHA-256): they apply to
 *                        that model only, a newly trained, improved or imported model starts at its own calibration
 *                        (another model scores on another scale); null in files written before it was recorded,
 *                        whose thresholds apply to no model
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProjectSettings(int version, String name, DmddSettings training, String device, Double imageThreshold,
        Double ngThreshold, Double pixelThreshold, String lastScreen, String lastImage,
        Map<String, UserThresholds> otherMethodsThresholds, String thresholdsModel) {

    /**
     * Thresholds the user chose for one method's model (null = that model's calibrated one).
     *
     * @param image OK-below image-score threshold or null
     * @param ng    NG-above image-score threshold or null
     * @param pixel pixel threshold or null
     * @param model the model they were set for (its weights' SHA-256), or null when not recorded
     */
    public record UserThresholds(Double image, Double ng, Double pixel, String model) {
        /** No threshold of the user's. */
        public static final UserThresholds NONE = new UserThresholds(null, null, null, null);

        /** @return whether no threshold is the user's */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isEmpty() {
            return image == null && ng == null && pixel == null;
        }

        /**
         * @param modelId a model's weights SHA-256
         * @return whether these thresholds were set for that model (and so apply to it)
         */
        public boolean isFor(String modelId) {
            return model != null && model.equals(modelId);
        }

        /**
         * The rule every surface judges by: thresholds apply only to the model they were set for, because another
         * model scores on another scale (an old OK-below threshold could call its defects OK).
         *
         * @param modelId the identity of the model that judges ({@code ModelFolder.identity()})
         * @return these thresholds when set for that model, else {@link #NONE} (its calibrated ones apply)
         */
        public UserThresholds appliedTo(String modelId) {
            return isFor(modelId) ? this : NONE;
        }

        /**
         * @param modelId the identity of the model that judges
         * @return whether the user set thresholds that do not apply to that model (to be said, not applied)
         */
        public boolean setForAnother(String modelId) {
            return !isEmpty() && !isFor(modelId);
        }
    }

    /**
     * The thresholds the user chose for a method's model (the chosen method's are on screen, the others are kept
     * aside), so that every export of the project gives the verdicts the workstation shows.
     *
     * @param method a method
     * @return the user's thresholds for it, each null where the model's calibrated one applies
     */
    public UserThresholds userThresholds(dmdd.model.dmdd.Method method) {
        if (training != null && method == training.method()) {
            return new UserThresholds(imageThreshold, ngThreshold, pixelThreshold, thresholdsModel);
        }
        return otherMethodsThresholds.getOrDefault(method.cliName(), UserThresholds.NONE);
    }

    /** Keeps the map immutable and never null. */
    public ProjectSettings {
        otherMethodsThresholds = otherMethodsThresholds == null ? Map.of() : Map.copyOf(otherMethodsThresholds);
    }

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
                null, Map.of(), null);
    }

    /**
     * Copy with other training settings. A change of method keeps the user's thresholds of the method left
     * and brings back those the user chose for the new one before (none: its calibrated ones apply).
     *
     * @param choices training settings
     * @param newDevice device choice
     * @return the copy
     */
    public ProjectSettings withTraining(DmddSettings choices, String newDevice) {
        if (training != null && choices.method() != training.method()) { // null while project.json is read
            // The thresholds on screen belong to the method left: keep them for it, bring back the new one's.
            Map<String, UserThresholds> kept = new TreeMap<>(otherMethodsThresholds);
            UserThresholds leaving = new UserThresholds(imageThreshold, ngThreshold, pixelThreshold, thresholdsModel);
            if (leaving.isEmpty()) {
                kept.remove(training.method().cliName());
            } else {
                kept.put(training.method().cliName(), leaving);
            }
            UserThresholds back = Objects.requireNonNullElse(kept.remove(choices.method().cliName()),
                    UserThresholds.NONE);
            return new ProjectSettings(version, name, choices, newDevice, back.image(), back.ng(), back.pixel(),
                    lastScreen, lastImage, kept, back.model());
        }
        return new ProjectSettings(version, name, choices, newDevice, imageThreshold, ngThreshold, pixelThreshold,
                lastScreen, lastImage, otherMethodsThresholds, thresholdsModel);
    }

    /**
     * Copy with other thresholds.
     *
     * @param image OK-below image-score threshold or null
     * @param ng    NG-above image-score threshold or null
     * @param pixel pixel threshold or null
     * @param model the model they are set for (its weights' SHA-256)
     * @return the copy
     */
    public ProjectSettings withThresholds(Double image, Double ng, Double pixel, String model) {
        return new ProjectSettings(version, name, training, device, image, ng, pixel, lastScreen, lastImage,
                otherMethodsThresholds, image == null && ng == null && pixel == null ? null : model);
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
                image, otherMethodsThresholds, thresholdsModel);
    }
}
