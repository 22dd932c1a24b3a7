package dmdd.app.gui.annotation;

import dmdd.app.gui.Ui;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Asks before a project is left (another project, or the window closing) while the disk still refuses some
 * annotations: try again, leave without them, or stay. Without it the paint of a full or read-only disk would be
 * dropped unseen.
 */
public final class UnsavedAnnotationsDialog {
    /** The button that tries the refused saves again. */
    public static final ButtonType TRY_AGAIN = new ButtonType(Ui.text("annotation.unsavedOnLeave.retry"),
            ButtonBar.ButtonData.OK_DONE);
    /** The button that leaves and loses the annotations the disk refused. */
    public static final ButtonType LEAVE = new ButtonType(Ui.text("annotation.unsavedOnLeave.leave"),
            ButtonBar.ButtonData.OTHER);
    private static final int NAMED = 5;

    private UnsavedAnnotationsDialog() {
    }

    /**
     * Whether the project may be left: at once when every annotation is on disk, else as the person answers.
     *
     * @param annotation the annotation screen's state
     * @param owner      the window that asks (may be null)
     * @return true to leave, false to stay
     */
    public static boolean mayLeave(AnnotationViewModel annotation, Window owner) {
        List<Path> unsaved = annotation.unsavedBeforeLeaving();
        while (!unsaved.isEmpty()) {
            Alert ask = new Alert(Alert.AlertType.WARNING, text(annotation, unsaved), TRY_AGAIN, LEAVE,
                    ButtonType.CANCEL);
            ask.setTitle(Ui.text("annotation.unsavedOnLeave.title"));
            ask.setHeaderText(null);
            if (owner != null) {
                ask.initOwner(owner);
            }
            ButtonType answer = ask.showAndWait().orElse(ButtonType.CANCEL);
            if (answer == LEAVE) {
                return true;
            }
            if (answer != TRY_AGAIN) {
                return false;
            }
            unsaved = annotation.unsavedBeforeLeaving();
        }
        return true;
    }

    private static String text(AnnotationViewModel annotation, List<Path> unsaved) {
        String names = unsaved.stream().limit(NAMED).map(f -> "  " + f.getFileName()).collect(Collectors.joining("\n"));
        if (unsaved.size() > NAMED) {
            names += "\n  " + Ui.text("annotation.unsavedOnLeave.more", unsaved.size() - NAMED);
        }
        return Ui.text("annotation.unsavedOnLeave.text", unsaved.size(), annotation.projectFolderProperty().get(),
                names);
    }
}
