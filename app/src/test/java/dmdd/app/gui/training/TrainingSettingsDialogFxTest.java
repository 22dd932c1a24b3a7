package dmdd.app.gui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.Method;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.stage.Stage;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The training settings dialog, clicked through headless: it hands back only what the person changed on top of
 * the current settings, so that choosing another method brings that method's own student
 * ({@link DmddSettings#studentOf}) unless the person chose a student in the expert sheet.
 */
@ExtendWith(ApplicationExtension.class)
class TrainingSettingsDialogFxTest {
    private TrainingSettingsDialog dialog;

    @Start
    void start(Stage primary) {
        // nothing to show before each test: every test opens its own dialog
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (dialog != null && dialog.isShowing()) {
                dialog.close();
            }
        });
    }

    @Test
    void choosingDcamGivesDcamItsOwnStudent(FxRobot robot) throws Exception {
        DmddSettings current = DmddSettings.defaults();
        assertThat(current.studentEncoder()).isEqualTo(DmddSettings.studentOf(Method.DMDD));
        open(robot, current);
        robot.interact(() -> find(robot, "#dialogMethodChoice", ComboBox.class).setValue(Method.DCAM));
        assertThat(expertItem(robot, "studentEncoder").getValue()).as("the sheet shows what OK will give")
                .isEqualTo(DmddSettings.studentOf(Method.DCAM));
        assertThat(find(robot, "#stepsHint", javafx.scene.control.Label.class).getText()).isEqualTo("(student)");

        DmddSettings chosen = ok(robot);

        assertThat(chosen.method()).isEqualTo(Method.DCAM);
        assertThat(chosen.studentEncoder()).as("DCAM's student, not the one DMDD's settings showed")
                .isEqualTo(DmddSettings.studentOf(Method.DCAM))
                .isNotEqualTo(current.studentEncoder());
    }

    @Test
    void aStudentChosenInTheExpertSheetSurvivesTheMethodChange(FxRobot robot) throws Exception {
        open(robot, DmddSettings.defaults());
        robot.interact(() -> {
            find(robot, "#dialogMethodChoice", ComboBox.class).setValue(Method.DCAM);
            expertItem(robot, "studentEncoder").setValue(DmddSettings.studentOf(Method.DMDD));
        });

        DmddSettings chosen = ok(robot);

        assertThat(chosen.method()).isEqualTo(Method.DCAM);
        assertThat(chosen.studentEncoder()).isEqualTo(DmddSettings.studentOf(Method.DMDD));
    }

    @Test
    void backToTheCurrentMethodShowsAndKeepsTheCurrentStudent(FxRobot robot) throws Exception {
        // A project saved before the inverted residual student: DMDD with the ResNet layout.
        DmddSettings current = DmddSettings.defaults().with("studentEncoder", "resnet");
        open(robot, current);
        robot.interact(() -> find(robot, "#dialogMethodChoice", ComboBox.class).setValue(Method.BASELINE));
        assertThat(expertItem(robot, "studentEncoder").getValue()).isEqualTo(DmddSettings.studentOf(Method.BASELINE));
        robot.interact(() -> find(robot, "#dialogMethodChoice", ComboBox.class).setValue(Method.DMDD));
        assertThat(expertItem(robot, "studentEncoder").getValue()).isEqualTo("resnet");

        assertThat(ok(robot)).isEqualTo(current);
    }

    @Test
    void untouchedExpertSettingsKeepTheCurrentValuesAndTheNewStepsKeepTheSplit(FxRobot robot) throws Exception {
        // A saved project whose expert values differ from today's defaults: OK must not reset them.
        DmddSettings current = DmddSettings.defaults().with("studentEncoder", "resnet")
                .with("fusionSegmenterWeight", 0.9);
        open(robot, current);
        int total = current.totalSteps() * 2;
        robot.interact(() -> find(robot, "#stepsSpinner", Spinner.class).getValueFactory().setValue(total));

        DmddSettings chosen = ok(robot);

        assertThat(chosen.studentEncoder()).isEqualTo("resnet");
        assertThat(chosen.fusionSegmenterWeight()).isEqualTo(0.9);
        assertThat(chosen.totalSteps()).isEqualTo(total);
        assertThat(chosen.segmenterSteps() * (long) current.studentSteps())
                .isEqualTo(chosen.studentSteps() * (long) current.segmenterSteps());
        assertThat(chosen.with("studentSteps", current.studentSteps()).with("segmenterSteps", current.segmenterSteps()))
                .isEqualTo(current);
    }

    @Test
    void theTilingAdviceFollowsTheDefectSizeAndGoesWithIt(FxRobot robot) {
        robot.interact(() -> {
            dialog = new TrainingSettingsDialog(DmddSettings.defaults(), "cpu", "cpu", new int[] {4000, 3000});
            dialog.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        Spinner<Integer> defect = find(robot, "#smallestDefectSpinner", Spinner.class);
        javafx.scene.control.Label advice = find(robot, "#tilingAdvice", javafx.scene.control.Label.class);
        javafx.scene.control.CheckBox tile = find(robot, "#tileCheck", javafx.scene.control.CheckBox.class);
        robot.interact(() -> defect.getValueFactory().setValue(2));
        assertThat(advice.getText()).isNotBlank();
        assertThat(tile.isSelected()).isTrue();
        assertThat(advice.getHeight()).as("the whole advice, not one line of it")
                .isGreaterThanOrEqualTo(advice.prefHeight(advice.getWidth()) - 1);
        robot.interact(() -> defect.getValueFactory().setValue(0));
        assertThat(advice.getText()).as("no defect size, no advice").isEmpty();
        assertThat(tile.isSelected()).isFalse();
    }

    @Test
    void openingTheExpertSettingsKeepsOkInViewAndClickable(FxRobot robot) throws Exception {
        open(robot, DmddSettings.defaults());
        robot.interact(() -> find(robot, "#expertSettings", javafx.scene.control.TitledPane.class).setExpanded(true));
        WaitForAsyncUtils.waitForFxEvents();
        // the window grew with the sheet (its OK and Cancel went below the window's edge, out of a person's reach)
        assertThat(ok(robot)).isEqualTo(DmddSettings.defaults());
    }

    private void open(FxRobot robot, DmddSettings current) {
        robot.interact(() -> {
            dialog = new TrainingSettingsDialog(current, "cpu", "cpu");
            dialog.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Clicks OK and returns the dialog's result. */
    private DmddSettings ok(FxRobot robot) throws Exception {
        Node pane = dialog.getDialogPane();
        robot.clickOn(robot.from(pane).lookup(".button").lookup((Button b) -> "OK".equals(b.getText())).queryButton());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !dialog.isShowing());
        Optional<TrainingSettingsDialog.Choice> choice = Optional.ofNullable(dialog.getResult());
        assertThat(choice).as("the dialog's choice").isPresent();
        assertThat(choice.get().device()).isEqualTo("cpu");
        return choice.get().settings();
    }

    private <T> T find(FxRobot robot, String id, Class<T> type) {
        return type.cast(robot.from(dialog.getDialogPane()).lookup(id).query());
    }

    /** The expert sheet's item of one setting: what its editor writes to when a person edits the value. */
    private PropertySheet.Item expertItem(FxRobot robot, String name) {
        PropertySheet sheet = robot.from(dialog.getDialogPane()).lookup("#expertSheet").queryAs(PropertySheet.class);
        return sheet.getItems().stream().filter(item -> item.getName().equals(name)).findFirst().orElseThrow();
    }
}
