package dmdd.app.gui.images;

import java.nio.file.Path;
import java.util.function.Function;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.GridCell;

/**
 * A grid cell showing a lazily decoded thumbnail, a caption and an optional badge.
 *
 * @param <T> item type
 */
public class ThumbnailCell<T> extends GridCell<T> {
    private final ThumbnailCache cache;
    private final Function<T, Path> fileOf;
    private final Function<T, String> captionOf;
    private final ImageView imageView = new ImageView();
    private final Label caption = new Label();
    private final javafx.scene.control.Tooltip captionTip = new javafx.scene.control.Tooltip();
    /** Extra decoration (e.g. an OK/NG badge) that subclasses fill. */
    protected final Label badge = new Label();
    /** The picture area (thumbnail and badge). */
    protected final StackPane picture;
    private final VBox box;

    /**
     * A cell.
     *
     * @param cache     the thumbnail cache
     * @param side      thumbnail side in pixels
     * @param fileOf    the image file of an item
     * @param captionOf the caption of an item
     */
    public ThumbnailCell(ThumbnailCache cache, int side, Function<T, Path> fileOf, Function<T, String> captionOf) {
        this.cache = cache;
        this.fileOf = fileOf;
        this.captionOf = captionOf;
        imageView.setFitWidth(side);
        imageView.setFitHeight(side);
        imageView.setPreserveRatio(true);
        picture = new StackPane(imageView, badge);
        picture.getStyleClass().add("thumbnail-picture");
        picture.setPrefSize(side, side);
        StackPane.setAlignment(badge, Pos.TOP_RIGHT);
        badge.getStyleClass().add("badge");
        badge.setVisible(false);
        caption.getStyleClass().add("thumbnail-caption");
        caption.setMaxWidth(side);
        // cut in the middle: the score in front and the file's own name at the end stay (hole/000 and hole/001 read
        // alike when the end goes); the whole caption is the tooltip
        caption.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        caption.setTooltip(captionTip);
        box = new VBox(2, picture, caption);
        box.setAlignment(Pos.CENTER);
        getStyleClass().add("thumbnail-cell");
    }

    @Override
    protected void updateItem(T item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            setText(null);
            return;
        }
        showCaption(captionOf.apply(item));
        Path file = fileOf.apply(item);
        Image image = cache.get(file, ready -> {
            if (getItem() != null && file.equals(fileOf.apply(getItem()))) {
                imageView.setImage(ready);
            }
        });
        imageView.setImage(image);
        decorate(item);
        setGraphic(box);
    }

    /**
     * Shows another caption for the item shown (one that changes with more than the item).
     *
     * @param text the caption
     */
    protected void showCaption(String text) {
        caption.setText(text);
        captionTip.setText(text);
    }

    /**
     * Hook for subclasses to show a badge for an item.
     *
     * @param item the item shown
     */
    protected void decorate(T item) {
    }
}
