package dmdd.app.gui.inspection;

import dmdd.app.gui.Ui;
import dmdd.app.gui.images.ThumbnailCache;
import dmdd.app.gui.images.ThumbnailCell;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

/** A gallery cell: thumbnail, name and score, and an OK/UNSURE/NG badge that follows the thresholds live. */
final class InspectionCell extends ThumbnailCell<InspectedItem> {
    private final InspectionViewModel viewModel;
    /** What a person decided (review or Annotate), beside the model's verdict. */
    private final Label decision = new Label();
    private final InvalidationListener redecorate = obs -> {
        if (getItem() != null) {
            decorate(getItem());
        }
    };

    InspectionCell(InspectionViewModel viewModel, ThumbnailCache cache, int side) {
        super(cache, side, item -> item.image().file(), item -> caption(viewModel, item));
        this.viewModel = viewModel;
        viewModel.imageThresholdProperty().addListener(new WeakInvalidationListener(redecorate));
        viewModel.ngThresholdProperty().addListener(new WeakInvalidationListener(redecorate));
        viewModel.selectedProperty().addListener(new WeakInvalidationListener(redecorate));
        viewModel.decisionsRevisionProperty().addListener(new WeakInvalidationListener(redecorate));
        decision.getStyleClass().addAll("label-badge", "decision");
        // two badges on one picture: each says whose word it is
        decision.setTooltip(new javafx.scene.control.Tooltip(Ui.text("review.decision.tooltip")));
        badge.setTooltip(new javafx.scene.control.Tooltip(Ui.text("inspection.verdict.tooltip")));
        decision.setVisible(false);
        picture.getChildren().add(decision);
        // Below the picture's top edge, where the verdict badge is: the two never cover each other.
        StackPane.setAlignment(decision, Pos.BOTTOM_LEFT);
        setOnMouseClicked(event -> {
            if (getItem() != null) {
                viewModel.selectedProperty().set(getItem());
            }
        });
    }

    private static String caption(InspectionViewModel viewModel, InspectedItem item) {
        String name = item.image().group().isEmpty() ? item.image().fileName()
                : item.image().group() + "/" + item.image().fileName();
        // Score first: the name may be cut off in a narrow cell, the score must not.
        return item.isInspected() ? viewModel.scoreText(item) + "  " + name : name;
    }

    @Override
    protected void decorate(InspectedItem item) {
        // The thresholds decide how many digits the score needs to read on the right side of them.
        showCaption(caption(viewModel, item));
        Verdict verdict = viewModel.verdict(item);
        badge.setText(Ui.text("inspection.verdict." + verdict.name()));
        badge.getStyleClass().removeAll("ok", "unsure", "ng", "unknown");
        badge.getStyleClass().add(verdict.name().toLowerCase(java.util.Locale.ROOT));
        badge.setVisible(true);
        dmdd.datasets.annotation.Label decided = viewModel.decision(item);
        decision.getStyleClass().removeAll("ok", "defect");
        decision.setVisible(decided != dmdd.datasets.annotation.Label.UNLABELLED);
        if (decision.isVisible()) {
            // short on a thumbnail (the detail header says it in full): the picture stays visible
            decision.setText(Ui.text("review.decisionShort." + decided.name()));
            decision.getStyleClass().add(decided.key());
        }
        InspectedItem selected = viewModel.selectedProperty().get();
        boolean isSelected = selected != null && selected.image().file().equals(item.image().file());
        picture.getStyleClass().remove("selected");
        if (isSelected) {
            picture.getStyleClass().add("selected");
        }
    }
}
