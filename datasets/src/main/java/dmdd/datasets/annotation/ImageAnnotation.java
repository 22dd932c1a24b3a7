package dmdd.datasets.annotation;

import dmdd.datasets.image.Mask;

/**
 * A person's annotation of one image.
 *
 * @param label      OK, defect or not yet labelled
 * @param defectType the defect type when the label is {@link Label#DEFECT}, otherwise {@code null}
 * @param mask       where the defect is, or {@code null} when no mask was painted (always {@code null}
 *                   unless the label is {@link Label#DEFECT}; an empty mask is stored as {@code null})
 */
public record ImageAnnotation(Label label, String defectType, Mask mask) {
    /** An image nobody has labelled. */
    public static final ImageAnnotation UNLABELLED = new ImageAnnotation(Label.UNLABELLED, null, null);
    /** An image labelled defect-free. */
    public static final ImageAnnotation OK = new ImageAnnotation(Label.OK, null, null);

    /**
     * Normalises: no type and no mask unless defective; an empty mask becomes {@code null}.
     *
     * @param label      the label
     * @param defectType the type (validated when defective; {@link DefectTypes#DEFAULT} when missing)
     * @param mask       the mask or {@code null}
     */
    public ImageAnnotation {
        if (label == null) {
            throw new IllegalArgumentException("label is required");
        }
        if (label != Label.DEFECT) {
            defectType = null;
            mask = null;
        } else {
            defectType = defectType == null ? DefectTypes.DEFAULT : DefectTypes.validate(defectType);
            if (mask != null && mask.isEmpty()) {
                mask = null;
            }
        }
    }

    /**
     * A defect annotation.
     *
     * @param defectType the type
     * @param mask       the mask or {@code null}
     * @return the annotation
     */
    public static ImageAnnotation defect(String defectType, Mask mask) {
        return new ImageAnnotation(Label.DEFECT, defectType, mask);
    }

    /** @return whether a defect mask with at least one pixel is present */
    public boolean hasMask() {
        return mask != null;
    }
}
