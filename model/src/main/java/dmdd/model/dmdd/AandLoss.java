package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * AAND's two training losses (our reconstruction, {@code docs/methods/AAND.md}):
 * <ul>
 *   <li>amplification (stage 1): {@code sum_l mean(M_l max(0, margin - (1 - cos(F_l(x_aug), T_l(x))))
 *       + (1 - M_l)(1 - cos(F_l(x_aug), T_l(x_aug))))}: inside a synthetic anomaly the amplified features must move
 *       at least {@code margin} away from the clean image's teacher features; elsewhere they must stay the
 *       pre-trained teacher's;</li>
 *   <li>hard knowledge distillation (stage 2): {@code sum_l (mean(d_l) + w * mean(top-p share of d_l))} with
 *       {@code d_l = 1 - cos(S_l, F_l)} per position of normal images: the mean over all positions plus the mean
 *       over the hardest ones, so that rare normal patterns are rebuilt too and do not become false alarms.</li>
 * </ul>
 */
public final class AandLoss {
    private final double margin;
    private final double hardFraction;
    private final double hardWeight;

    /**
     * @param margin       the cosine distance an amplified anomaly must reach
     * @param hardFraction share of positions per image counted as hard
     * @param hardWeight   weight of the hard positions' mean
     */
    public AandLoss(double margin, double hardFraction, double hardWeight) {
        this.margin = margin;
        this.hardFraction = hardFraction;
        this.hardWeight = hardWeight;
    }

    /**
     * @param settings model settings
     * @return the losses those settings describe
     */
    public static AandLoss of(DmddSettings settings) {
        return new AandLoss(settings.amplificationMargin(), settings.hardFraction(), settings.hardWeight());
    }

    /**
     * Stage 1: amplify anomalies, keep normal texture intact.
     *
     * @param amplified      F_l(x_aug), three levels
     * @param teacherOfAug   T_l(x_aug), three levels
     * @param teacherOfClean T_l(x), three levels
     * @param mask           M, N x 1 x H x W in {0, 1} at the input size
     * @return the scalar loss
     */
    public NDArray amplification(List<NDArray> amplified, List<NDArray> teacherOfAug, List<NDArray> teacherOfClean,
            NDArray mask) {
        NDArray sum = null;
        for (int l = 0; l < amplified.size(); l++) {
            NDArray away = Discrepancy.cosineDistance(amplified.get(l), teacherOfClean.get(l));
            NDArray kept = Discrepancy.cosineDistance(amplified.get(l), teacherOfAug.get(l));
            NDArray m = Layers.downsampleArea(mask, away.getShape().get(1), away.getShape().get(2)).squeeze(1);
            NDArray term = m.mul(away.neg().add((float) margin).maximum(0f)).add(m.neg().add(1f).mul(kept)).mean();
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /**
     * Stage 2: hard knowledge distillation of the amplified teacher into the reverse-distillation student.
     *
     * @param student   S_l, three levels
     * @param amplified F_l(x) of normal images, three levels
     * @return the scalar loss
     */
    public NDArray hardDistillation(List<NDArray> student, List<NDArray> amplified) {
        NDArray sum = null;
        for (int l = 0; l < student.size(); l++) {
            NDArray d = Discrepancy.cosineDistance(student.get(l), amplified.get(l));
            long n = d.getShape().get(0);
            long positions = d.getShape().get(1) * d.getShape().get(2);
            long hard = Math.max(1, Math.round(hardFraction * positions));
            NDArray sorted = d.reshape(n, positions).sort(1);
            NDArray term = d.mean().add(sorted.get(":, " + (positions - hard) + ":").mean().mul((float) hardWeight));
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }
}
