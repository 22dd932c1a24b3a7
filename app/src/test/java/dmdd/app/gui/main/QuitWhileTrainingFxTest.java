package dmdd.app.gui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.ScriptedInspectionEngine;
import dmdd.app.gui.training.TrainingEngine;
import dmdd.model.project.Project;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Project > Quit while training runs, headless: like the window's close button, it stops the run at its next step
 * (where the real trainer writes its checkpoint) and closes the window once the run has ended, instead of ending
 * the program under it.
 */
@ExtendWith(ApplicationExtension.class)
class QuitWhileTrainingFxTest {
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicBoolean sawCancel = new AtomicBoolean();
    private Workstation workstation;
    private Stage stage;

    /** Trains until it is asked to stop, as a long run does. */
    private final TrainingEngine untilCancelled = new TrainingEngine() {
        @Override
        public String describeDevice(String choice) {
            return "CPU (scripted)";
        }

        @Override
        public boolean canResume(Project project) {
            return false;
        }

        @Override
        public Outcome train(Project project, boolean resume, Listener listener, BooleanSupplier cancelled)
                throws Exception {
            started.countDown();
            int step = 0;
            while (!cancelled.getAsBoolean()) {
                Thread.sleep(5);
                step++;
            }
            sawCancel.set(true);
            return new Outcome(false, step, 0.1);
        }
    };

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM.
        stage = new Stage();
        workstation = WorkstationApplication.open(stage,
                new dmdd.model.project.Workspace(dmdd.app.testing.TempFolders.create("dmdd-gui-quit")),
                untilCancelled, new ScriptedInspectionEngine());
    }

    @Test
    void quitStopsTheRunningTrainingAndThenClosesTheWindow(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> workstation.main().projectProperty().get() != null);
        robot.interact(() -> workstation.training().start(false));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        MenuItem quit = robot.from(workstation.view().root()).lookup((MenuBar bar) -> true).queryAs(MenuBar.class)
                .getMenus().get(0).getItems().stream().filter(item -> "Quit".equals(item.getText())).findFirst()
                .orElseThrow();
        robot.interact(quit::fire);

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !stage.isShowing());
        assertThat(sawCancel).as("the run was asked to stop before the window closed").isTrue();
        // the program goes on (Platform.exit() would have ended the toolkit of every other window)
        CountDownLatch alive = new CountDownLatch(1);
        Platform.runLater(alive::countDown);
        assertThat(alive.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
