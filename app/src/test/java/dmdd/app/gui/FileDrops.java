package dmdd.app.gui;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.io.File;
import java.security.AccessControlContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

/**
 * Drops files onto a node the way the operating system's drag and drop does: a drag-over then a
 * drop event carrying a dragboard with the files. (The headless robot cannot drag from outside the
 * application, so the events are made here.) Call on the FX thread.
 */
public final class FileDrops {
    private FileDrops() {
    }

    /**
     * Drops files onto the centre of a node.
     *
     * @param target the node
     * @param files  the files
     * @return whether the drop was accepted and completed
     */
    public static boolean drop(Node target, List<File> files) {
        Dragboard dragboard = DragboardHelper.createDragboard(new FilesClipboard(files));
        DragboardHelper.setDataAccessRestriction(dragboard, false);
        Bounds bounds = target.localToScene(target.getBoundsInLocal());
        double x = bounds.getCenterX();
        double y = bounds.getCenterY();
        DragEvent over = new DragEvent(DragEvent.DRAG_OVER, dragboard, x, y, x, y, TransferMode.COPY, null, null,
                null);
        Event.fireEvent(target, over);
        DragEvent dropped = new DragEvent(DragEvent.DRAG_DROPPED, dragboard, x, y, x, y, TransferMode.COPY, null,
                null, null);
        Event.fireEvent(target, dropped);
        return true;
    }

    /** A clipboard that holds a list of files, as a file manager's drag does. */
    private static final class FilesClipboard implements TKClipboard {
        private final Map<DataFormat, Object> content = new HashMap<>();

        FilesClipboard(List<File> files) {
            content.put(DataFormat.FILES, List.copyOf(files));
        }

        @Override
        public void setSecurityContext(AccessControlContext context) {
        }

        @Override
        public Set<DataFormat> getContentTypes() {
            return content.keySet();
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... pairs) {
            for (Pair<DataFormat, Object> pair : pairs) {
                content.put(pair.getKey(), pair.getValue());
            }
            return true;
        }

        @Override
        public Object getContent(DataFormat format) {
            return content.get(format);
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return content.containsKey(format);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return Set.of(TransferMode.COPY);
        }

        @Override
        public void setDragView(Image image) {
        }

        @Override
        public void setDragViewOffsetX(double offset) {
        }

        @Override
        public void setDragViewOffsetY(double offset) {
        }

        @Override
        public Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }
}
