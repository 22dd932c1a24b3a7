package dmdd.app.gui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Access to the {@code ui-resources} jar: FXML files, the stylesheet and the texts bundle.
 * Every user-visible text comes from {@code dmdd/ui/i18n/texts.properties}.
 */
public final class Ui {
    /** Base name of the texts bundle. */
    public static final String TEXTS = "dmdd.ui.i18n.texts";
    private static final String STYLESHEET = "/dmdd/ui/css/workstation.css";

    private Ui() {
    }

    /**
     * The texts bundle for the default locale.
     *
     * @return the bundle
     */
    public static ResourceBundle texts() {
        return ResourceBundle.getBundle(TEXTS);
    }

    /**
     * One text, formatted with {@link MessageFormat} when arguments are given.
     *
     * @param key  key in the bundle
     * @param args arguments for {0}, {1}, ...
     * @return the text, or the key itself when it is missing (so a missing text is visible, not fatal)
     */
    public static String text(String key, Object... args) {
        String pattern;
        try {
            pattern = texts().getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : MessageFormat.format(pattern, args);
    }

    /**
     * The application stylesheet URL for {@code Scene.getStylesheets()}.
     *
     * @return the URL as a string
     */
    public static String stylesheet() {
        return resource(STYLESHEET).toExternalForm();
    }

    /**
     * Loads an FXML file from {@code dmdd/ui/} with the given controller.
     *
     * @param path       path below {@code dmdd/ui/}, e.g. {@code main/MainWindow.fxml}
     * @param controller the view object whose {@code @FXML} fields get filled
     * @param <T>        root type
     * @return the root node
     */
    public static <T extends Parent> T load(String path, Object controller) {
        FXMLLoader loader = new FXMLLoader(resource("/dmdd/ui/" + path), texts());
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A resource of the {@code ui-resources} jar.
     *
     * @param absolutePath path starting with {@code /dmdd/ui/}
     * @return its URL
     */
    public static URL resource(String absolutePath) {
        URL url = Ui.class.getResource(absolutePath);
        if (url == null) {
            throw new IllegalStateException("missing UI resource " + absolutePath);
        }
        return url;
    }

    /**
     * Asks a person to confirm, OK or Cancel, over the window of {@code owner}.
     *
     * @param owner   a node of the asking screen (its window owns the dialog when it is shown)
     * @param textKey the question's key in the texts
     * @return whether the person pressed OK
     */
    public static boolean confirmed(javafx.scene.Node owner, String textKey) {
        javafx.scene.control.Alert ask = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                text(textKey), javafx.scene.control.ButtonType.CANCEL, javafx.scene.control.ButtonType.OK);
        ask.setHeaderText(null);
        if (owner.getScene() != null) {
            ask.initOwner(owner.getScene().getWindow());
        }
        return ask.showAndWait().orElse(javafx.scene.control.ButtonType.CANCEL) == javafx.scene.control.ButtonType.OK;
    }
}
