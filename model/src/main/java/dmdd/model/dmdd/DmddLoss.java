package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * DMDD's training losses (DMDD.md, "Losses"):
 * <ul>
 *   <li>NGM: {@code sum_l mean(1 - cos(F_norm_l(x_aug), T_l(x)))}: the normality features of the
 *       anomalous image are fitted to the teacher's features of the clean image;</li>
 *   <li>AIM: {@code A_l = 1 - cos(F_abn_l(x_aug), T_l(x_aug))}, {@code sum_l mean|A_l - M_l|}
 *       (or the hinge form): the abnormality features mimic the teacher on normal texture and move
 *       away inside the anomaly;</li>
 *   <li>segmentation: focal loss (gamma) + weighted L1 between the fused probability and M;</li>
 *   <li>baseline: {@code sum_l mean(1 - cos(S_l(x), T_l(x)))} on normal images.</li>
 * </ul>
 * Every method returns a scalar NDArray in the manager of its inputs.
 */
public final class DmddLoss {
    private static final float PROB_EPS = 1e-6f;
    private final double focalGamma;
    private final double l1Weight;
    private final boolean hingeAim;

    /**
     * @param focalGamma focal loss gamma
     * @param l1Weight   weight of the L1 term of the segmentation loss
     * @param hingeAim   {@code true} for the hinge form of AIM, {@code false} for L1
     */
    public DmddLoss(double focalGamma, double l1Weight, boolean hingeAim) {
        this.focalGamma = focalGamma;
        this.l1Weight = l1Weight;
        this.hingeAim = hingeAim;
    }

    /**
     * @param settings model settings
     * @return the losses those settings describe
     */
    public static DmddLoss of(DmddSettings settings) {
        return new DmddLoss(settings.focalGamma(), settings.l1Weight(), "hinge".equals(settings.aimForm()));
    }

    /**
     * Normality Guidance Modeling.
     *
     * @param normality      F_norm_l(x_aug), three levels
     * @param teacherOfClean T_l(x), three levels
     * @return the scalar loss
     */
    public NDArray ngm(List<NDArray> normality, List<NDArray> teacherOfClean) {
        NDArray sum = null;
        for (int l = 0; l < normality.size(); l++) {
            NDArray term = Discrepancy.cosineDistance(normality.get(l), teacherOfClean.get(l)).mean();
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /**
     * Abnormality Inverse Mimicking.
     *
     * @param abnormality      F_abn_l(x_aug), three levels
     * @param teacherOfAnomaly T_l(x_aug), three levels
     * @param mask             M, N x 1 x H x W in {0, 1} at the input size
     * @return the scalar loss
     */
    public NDArray aim(List<NDArray> abnormality, List<NDArray> teacherOfAnomaly, NDArray mask) {
        NDArray sum = null;
        for (int l = 0; l < abnormality.size(); l++) {
            NDArray a = Discrepancy.cosineDistance(abnormality.get(l), teacherOfAnomaly.get(l));
            NDArray m = levelMask(mask, a);
            NDArray term = hingeAim
                    ? m.mul(a.neg().add(1f).maximum(0f)).add(m.neg().add(1f).mul(a)).mean()
                    : a.sub(m).abs().mean();
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /**
     * Focal loss plus weighted L1 between the segmenter's probability and the mask.
     *
     * @param logits N x 1 x H x W segmenter logits
     * @param mask   N x 1 x H x W in {0, 1}
     * @return the scalar loss
     */
    public NDArray segmentation(NDArray logits, NDArray mask) {
        NDArray p = Activation.sigmoid(logits).clip(PROB_EPS, 1f - PROB_EPS);
        NDArray q = p.neg().add(1f);
        NDArray notMask = mask.neg().add(1f);
        // soft-label binary focal loss: -y (1-p)^g log p - (1-y) p^g log(1-p)
        NDArray positive = mask.mul(q.pow((float) focalGamma)).mul(p.log());
        NDArray negative = notMask.mul(p.pow((float) focalGamma)).mul(q.log());
        NDArray focal = positive.add(negative).neg().mean();
        if (l1Weight == 0) {
            return focal;
        }
        return focal.add(p.sub(mask).abs().mean().mul((float) l1Weight));
    }

    /**
     * The baseline's distillation loss.
     *
     * @param student S_l(x), three levels
     * @param teacher T_l(x), three levels
     * @return the scalar loss
     */
    public NDArray distillation(List<NDArray> student, List<NDArray> teacher) {
        return ngm(student, teacher);
    }

    /**
     * @param list an NDList
     * @param from first index
     * @param to   end index (exclusive)
     * @return the sub-list as a Java list
     */
    public static List<NDArray> slice(NDList list, int from, int to) {
        return list.subList(from, to);
    }

    /**
     * M_l: the N x 1 x H x W mask averaged over each level pixel's area (N x h x w, the defective
     * fraction of the pixel), so a thin scratch still counts at stride 16.
     */
    private static NDArray levelMask(NDArray mask, NDArray level) {
        long h = level.getShape().get(1);
        long w = level.getShape().get(2);
        return Layers.downsampleArea(mask, h, w).squeeze(1);
    }
}
