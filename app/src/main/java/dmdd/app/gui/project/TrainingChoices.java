package dmdd.app.gui.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The training settings a user picks in the training dialog, stored in {@code project.json}.
 * The first four are shown by default; the rest are folded away as expert settings.
 *
 * @param backbone     teacher backbone id ({@code mobilenetv2}, {@code resnet18}, {@code wide_resnet50_2})
 * @param steps        total optimisation steps
 * @param imageSize    square input size in pixels
 * @param device       {@code auto}, {@code cpu} or {@code gpu[:N]}
 * @param batchSize    images per step
 * @param learningRate optimiser learning rate
 * @param seed         random seed (synthesis, split, initialisation)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingChoices(String backbone, int steps, int imageSize, String device, int batchSize,
        double learningRate, long seed) {

    /**
     * Defaults sized for a CPU demo.
     *
     * @return default choices
     */
    public static TrainingChoices defaults() {
        return new TrainingChoices("mobilenetv2", 300, 128, "auto", 4, 0.001, 42L);
    }
}
