package dmdd.app.gui.training;

import dmdd.app.gui.Ui;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.pipeline.TilingAdvice;
import dmdd.model.teacher.BackboneKind;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Spinner;
import javafx.util.StringConverter;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/**
 * The training settings dialog: method, backbone, steps, image size and device up front, with the device
 * each choice resolves to shown; every other model setting in a folded "Expert settings" sheet that
 * is built from {@link DmddSettings} itself, so a setting added to the model appears here too.
 */
public final class TrainingSettingsDialog extends Dialog<TrainingSettingsDialog.Choice> {
    /** The expert setting that follows the chosen method until the person picks a value of it. */
    private static final String STUDENT = "studentEncoder";
    /** Settings the dialog shows up front rather than in the expert sheet. */
    private static final Set<String> BASIC = Set.of("method", "backbone", "imageSize", "studentSteps", "segmenterSteps");

    /**
     * The user's choice.
     *
     * @param settings model settings
     * @param device   device choice
     */
    public record Choice(DmddSettings settings, String device) {
    }

    /**
     * A dialog starting from the current settings.
     *
     * @param current current settings
     * @param device  current device choice
     * @param resolvedDevice what the current device choice resolves to (found in the background)
     */
    public TrainingSettingsDialog(DmddSettings current, String device, String resolvedDevice) {
        this(current, device, resolvedDevice, null);
    }

    /**
     * A dialog starting from the current settings, with tiling advice for the project's image size.
     *
     * @param current        current settings
     * @param device         current device choice
     * @param resolvedDevice what the current device choice resolves to (found in the background)
     * @param normalImageSize the normal images' size {@code {width, height}}, or null when unknown
     */
    public TrainingSettingsDialog(DmddSettings current, String device, String resolvedDevice, int[] normalImageSize) {
        setTitle(Ui.text("settings.title"));
        setHeaderText(Ui.text("settings.header"));
        getDialogPane().getStylesheets().add(Ui.stylesheet());
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().setId("trainingSettings");

        ComboBox<dmdd.model.dmdd.Method> method = new ComboBox<>(FXCollections.observableArrayList(
                dmdd.model.dmdd.Method.values()));
        method.setValue(current.method());
        method.setId("dialogMethodChoice");
        method.setConverter(new StringConverter<>() {
            @Override
            public String toString(dmdd.model.dmdd.Method m) {
                return m == null ? "" : m.displayName();
            }

            @Override
            public dmdd.model.dmdd.Method fromString(String text) {
                return Arrays.stream(dmdd.model.dmdd.Method.values()).filter(m -> m.displayName().equals(text))
                        .findFirst().orElse(current.method());
            }
        });
        ComboBox<String> backbone = new ComboBox<>(FXCollections.observableArrayList(
                Arrays.stream(BackboneKind.values()).map(BackboneKind::cliName).toList()));
        backbone.setValue(current.backbone());
        backbone.setId("backboneChoice");
        // People see what the teacher honestly is; settings keep the command-line name.
        backbone.setConverter(new StringConverter<>() {
            @Override
            public String toString(String cliName) {
                return cliName == null ? "" : BackboneKind.fromCliName(cliName).description();
            }

            @Override
            public String fromString(String text) {
                return Arrays.stream(BackboneKind.values()).filter(k -> k.description().equals(text)).findFirst()
                        .map(BackboneKind::cliName).orElse(text);
            }
        });
        Spinner<Integer> steps = new Spinner<>(1, 100_000, current.totalSteps(), 10);
        steps.setEditable(true);
        steps.setId("stepsSpinner");
        ComboBox<Integer> imageSize = new ComboBox<>(FXCollections.observableArrayList(64, 96, 128, 160, 192, 224, 256, 320, 384, 512));
        if (!imageSize.getItems().contains(current.imageSize())) {
            imageSize.getItems().add(current.imageSize());
        }
        imageSize.setValue(current.imageSize());
        imageSize.setId("imageSizeChoice");
        ComboBox<String> deviceChoice = new ComboBox<>(FXCollections.observableArrayList("auto", "cpu", "gpu"));
        deviceChoice.setEditable(true);
        deviceChoice.setValue(device);
        Label resolved = new Label(Ui.text("settings.deviceResolved", resolvedDevice));
        resolved.getStyleClass().add("muted");
        resolved.setId("resolvedDevice");
        // Resolving another choice may start the engine: that is done when training starts, not here.
        deviceChoice.valueProperty().addListener((obs, old, now) -> resolved.setText(
                Ui.text("settings.deviceResolved", now.equals(device) ? resolvedDevice : now)));

        GridPane basic = new GridPane();
        basic.setHgap(10);
        basic.setVgap(8);
        basic.addRow(0, new Label(Ui.text("settings.method")), method);
        basic.addRow(1, new Label(Ui.text("settings.backbone")), backbone);
        Label stepsHint = new Label(Ui.text("settings.stepsHint." + current.method().cliName()));
        stepsHint.setId("stepsHint");
        method.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                stepsHint.setText(Ui.text("settings.stepsHint." + now.cliName()));
            }
        });
        basic.addRow(2, new Label(Ui.text("settings.steps")), steps, stepsHint);
        basic.addRow(3, new Label(Ui.text("settings.imageSize")), imageSize);
        basic.addRow(4, new Label(Ui.text("settings.device")), deviceChoice);
        basic.add(resolved, 1, 5, 2, 1);

        // Camera-resolution advice: from the images' size and the smallest defect people need to find.
        Spinner<Integer> smallestDefect = new Spinner<>(0, 1000, 0, 1);
        smallestDefect.setEditable(true);
        smallestDefect.setId("smallestDefectSpinner");
        CheckBox tileIt = new CheckBox(Ui.text("settings.tile"));
        tileIt.setId("tileCheck");
        tileIt.setSelected(current.isTiled());
        Label advice = new Label(normalImageSize == null ? Ui.text("settings.noImageSize") : "");
        advice.setWrapText(true);
        advice.setMaxWidth(520);
        // Its full height, whatever the grid would give it: the advice is read, not skimmed.
        advice.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        advice.getStyleClass().add("muted");
        advice.setId("tilingAdvice");
        double[] proposedScale = {current.inspectionScale()};
        Runnable advise = () -> {
            int defect = smallestDefect.getValue() == null ? 0 : smallestDefect.getValue();
            if (normalImageSize == null || defect < 1) {
                // No defect size: no advice (an earlier one would stay on screen, and its tiling ticked).
                advice.setText(normalImageSize == null ? Ui.text("settings.noImageSize") : "");
                tileIt.setSelected(current.isTiled());
                tileIt.setDisable(!current.isTiled());
                resizeWindow();
                return;
            }
            int tile = imageSize.getValue() == null ? current.imageSize() : imageSize.getValue();
            TilingAdvice a = TilingAdvice.propose(normalImageSize[0], normalImageSize[1], defect, tile,
                    current.tileOverlap(),
                    SECONDS_PER_128_PX_PASS * current.passesPerInput() * (tile / 128.0) * (tile / 128.0));
            proposedScale[0] = a.scale();
            advice.setText(a.explanation());
            tileIt.setDisable(a.scale() == 0);
            tileIt.setSelected(a.scale() > 0);
            resizeWindow();
        };
        smallestDefect.valueProperty().addListener((obs, old, now) -> advise.run());
        imageSize.valueProperty().addListener((obs, old, now) -> advise.run());
        advise.run();
        basic.addRow(6, new Label(Ui.text("settings.smallestDefect")), smallestDefect,
                new Label(Ui.text("settings.smallestDefectHint")));
        basic.add(tileIt, 1, 7, 2, 1);
        basic.add(advice, 0, 8, 3, 1);

        Map<String, Object> expertValues = new LinkedHashMap<>();
        PropertySheet sheet = new PropertySheet();
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setId("expertSheet");
        for (RecordComponent component : DmddSettings.class.getRecordComponents()) {
            Class<?> type = component.getType();
            boolean editable = type.isPrimitive() || type == String.class || type.isEnum();
            if (BASIC.contains(component.getName()) || !editable) {
                continue;
            }
            Object value;
            try {
                value = component.getAccessor().invoke(current);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            expertValues.put(component.getName(), value);
            sheet.getItems().add(new SettingItem(component.getName(), boxed(type), expertValues));
        }
        // only what the user changed is applied, so that a new method brings its own student (DmddSettings.with)
        Map<String, Object> shownValues = new java.util.HashMap<>(expertValues); // values may be null
        // The sheet shows the student the chosen method will get (DmddSettings.with's rule), as long as the person
        // has not picked one.
        method.valueProperty().addListener((obs, old, now) -> {
            if (now != null && Objects.equals(expertValues.get(STUDENT), shownValues.get(STUDENT))) {
                String student = current.with("method", now).studentEncoder();
                expertValues.put(STUDENT, student);
                shownValues.put(STUDENT, student);
                sheet.getItems().setAll(List.copyOf(sheet.getItems())); // editors re-read their values
            }
        });
        sheet.setPrefHeight(320);
        sheet.setMinHeight(240); // opened, it shows rows to edit, not one squeezed row
        TitledPane expert = new TitledPane(Ui.text("settings.expert"), sheet);
        expert.setExpanded(false);
        expert.setId("expertSettings");
        // Without the animation the expanded size is there at once; measured after the layout pass, so that the
        // window grows to hold it and OK / Cancel stay in view. The sheet scrolls within a screen-friendly height.
        expert.setAnimated(false);
        sheet.setPrefHeight(320);
        expert.expandedProperty().addListener((obs, old, now) ->
                javafx.application.Platform.runLater(this::resizeWindow));
        setResizable(true);

        getDialogPane().setContent(new VBox(12, basic, expert));
        setResultConverter(button -> {
            if (button != ButtonType.OK) {
                return null;
            }
            Map<String, Object> changes = new LinkedHashMap<>();
            expertValues.forEach((name, value) -> {
                if (!Objects.equals(value, shownValues.get(name))) {
                    changes.put(name, value);
                }
            });
            changes.put("method", method.getValue());
            changes.put("backbone", backbone.getValue());
            changes.put("imageSize", imageSize.getValue());
            if (normalImageSize != null && smallestDefect.getValue() != null && smallestDefect.getValue() > 0) {
                // The advice was asked for: its choice decides (otherwise the expert value stands).
                changes.put("inspectionScale", tileIt.isSelected() ? proposedScale[0] : 0.0);
            }
            try {
                // The settings' split between the two stages is kept when the user changes the total.
                return new Choice(current.with(changes).withTotalSteps(steps.getValue()),
                        deviceChoice.getValue() == null ? "auto" : deviceChoice.getValue());
            } catch (IllegalArgumentException e) {
                new Alert(Alert.AlertType.ERROR, Ui.text("settings.invalid", e.getMessage())).showAndWait();
                return null;
            }
        });
    }

    /**
     * Seconds per network pass of one 128 px tile on a 2-core CPU (measured with {@code dmdd bench}); larger
     * tiles cost in proportion to their area. An estimate for the advice, not a promise.
     */
    static final double SECONDS_PER_128_PX_PASS = 0.02;

    private static Class<?> boxed(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        return type;
    }

    /** One expert setting in the property sheet, writing into the shared map of values. */
    private static final class SettingItem implements PropertySheet.Item {
        private final String name;
        private final Class<?> type;
        private final Map<String, Object> values;

        SettingItem(String name, Class<?> type, Map<String, Object> values) {
            this.name = name;
            this.type = type;
            this.values = values;
        }

        @Override
        public Class<?> getType() {
            return type;
        }

        @Override
        public String getCategory() {
            return Ui.text("settings.expert");
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return name;
        }

        @Override
        public Object getValue() {
            return values.get(name);
        }

        @Override
        public void setValue(Object value) {
            values.put(name, value);
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** Fits the window to what it shows now (advice of another length, the expert sheet opened or closed). */
    private void resizeWindow() {
        if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
            getDialogPane().getScene().getWindow().sizeToScene();
        }
    }
}
